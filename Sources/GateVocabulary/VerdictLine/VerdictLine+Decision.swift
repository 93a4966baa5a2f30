import HealthCredentials

extension VerdictLine {
    /// The verdict line for a decision: the one mapping from the verifier's vocabulary to the log's. Verdict,
    /// reason and type pass through as they are; country, kid and rules keep only what fits their closed types.
    ///
    /// Failing rules are kept only when they decided the verdict (`rule-failed`, `rule-error`). A credential refused
    /// at an earlier step (a bad signature, its own validity) has had its rules evaluated too, but they are not why
    /// it was refused, and an unauthenticated payload must not move the per-rule counters.
    public init(_ decision: Decision, latencyMilliseconds: Double) {
        let reason = decision.reason
        let rulesDecided = reason == .ruleFailed || reason == .ruleError
        self.init(
            verdict: decision.verdict,
            reason: reason,
            credentialType: decision.type,
            issuerCountry: decision.issuer.flatMap(IssuerCountry.init),
            kid: decision.kid.flatMap(KeyIdentifier.init),
            latency: .nanoseconds(Int64((max(0, latencyMilliseconds) * 1_000_000).rounded())),
            failedRules: rulesDecided ? decision.failedRules.compactMap(RuleIdentifier.init) : []
        )
    }
}
