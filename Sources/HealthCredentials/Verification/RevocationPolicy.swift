/// What a revocation source can answer. The trust store's memory-mapped tables implement it;
/// an empty list is the default.
public protocol RevocationChecking: Sendable {
    /// True when the credential is listed by its UCI, its country code + UCI, or its signature.
    func isRevoked(certificateIdentifier: String, country: String, signature: [UInt8], algorithm: COSEAlgorithm) -> Bool
}

/// No revocations: what a verifier without a trust store checks against.
public struct NoRevocations: RevocationChecking {
    public init() {}
    public func isRevoked(certificateIdentifier: String, country: String, signature: [UInt8], algorithm: COSEAlgorithm) -> Bool {
        false
    }
}

/// The credential must not be on a revocation list.
public struct RevocationPolicy: CredentialPolicy {
    public let step = VerificationStep.revocation
    public let revocations: any RevocationChecking

    public init(revocations: any RevocationChecking = NoRevocations()) {
        self.revocations = revocations
    }

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        guard let certificate = credential.certificate else { return .skipped }
        let revoked = revocations.isRevoked(
            certificateIdentifier: certificate.certificateIdentifier, country: certificate.entry.country,
            signature: credential.message.signature, algorithm: credential.message.algorithm
        )
        return revoked ? .failed(CredentialError(.revoked, "the certificate is on a revocation list")) : .ok
    }
}
