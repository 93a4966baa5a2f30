import FoundationEssentials

/// The signer certificate must be valid now: notBefore ≤ now ≤ notAfter.
public struct SignerValidityPolicy: CredentialPolicy {
    public let step = VerificationStep.signerValidity

    public init() {}

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        guard let signer = credential.signer else { return .skipped }
        if context.now < signer.notBefore {
            return .failed(CredentialError(.signerNotYetValid, "signer certificate is not valid before \(signer.notBefore)"))
        }
        if context.now > signer.notAfter {
            return .failed(CredentialError(.signerExpired, "signer certificate expired at \(signer.notAfter)"))
        }
        return .ok
    }
}
