/// The device must be fit to decide: its trust material current and its clock trustworthy.
/// The context says so (the trust store and clock work it out); this step only reports it.
public struct TrustFitnessPolicy: CredentialPolicy {
    public let step = VerificationStep.trust

    public init() {}

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        Self.outcome(in: context)
    }

    public static func outcome(in context: VerificationContext) -> StepOutcome {
        switch context.fitness {
        case .fit: .ok
        case .trustStale(let detail): .failed(CredentialError(.trustStale, detail))
        case .clockUntrusted(let detail): .failed(CredentialError(.clockUntrusted, detail))
        }
    }
}
