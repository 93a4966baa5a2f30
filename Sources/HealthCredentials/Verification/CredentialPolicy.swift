/// One rule a credential must meet, reported as its own verification step.
/// Policies are small values composed by `HC1Verifier`, in the manner of swift-certificates' `VerifierPolicy`.
public protocol CredentialPolicy: Sendable {
    var step: VerificationStep { get }
    func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome
}
