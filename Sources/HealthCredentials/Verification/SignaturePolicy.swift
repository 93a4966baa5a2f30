import GateCheckCrypto

/// The COSE signature must verify with a trusted signer published under the message's kid.
///
/// Every signer under the kid is tried (the spec requires it; kids can collide). A kid that is
/// not in the trust list fails as `unknown-signer`: trying every key instead would be slow on
/// small hardware and would loosen the binding between kid and key.
public struct SignaturePolicy: Sendable {
    public let step = VerificationStep.signature
    public let trustList: TrustList

    public init(trustList: TrustList) {
        self.trustList = trustList
    }

    public func signer(for message: COSESign1) -> Result<DocumentSigner, CredentialError> {
        let candidates = trustList.signers(forKid: message.kid)
        guard !candidates.isEmpty else {
            return .failure(CredentialError(.unknownSigner, "no trusted signer has this kid"))
        }
        let signedBytes = message.signedBytes
        var firstFailure = CredentialError(.badSignature, "signature does not verify")
        var sawKeyMismatchOnly = true
        for candidate in candidates {
            switch candidate.publicKey.verify(
                signature: message.signature, for: signedBytes, algorithm: message.algorithm.signatureAlgorithm
            ) {
            case .valid:
                return .success(candidate)
            case .invalid:
                sawKeyMismatchOnly = false
            case .malformedSignature:
                sawKeyMismatchOnly = false
                firstFailure = CredentialError(.malformedSignature, "signature is malformed for \(message.algorithm)")
            case .keyMismatch:
                break
            }
        }
        if sawKeyMismatchOnly {
            return .failure(CredentialError(
                .keyAlgorithmMismatch,
                "signer key does not fit \(message.algorithm) (ES256 needs a P-256 key, PS256 an RSA key of at least 2048 bits)"
            ))
        }
        return .failure(firstFailure)
    }
}
