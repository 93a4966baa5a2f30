/// The one log line per decision, and everything it may hold: verdict, reason code, credential type,
/// issuer country, kid and latency. Every field is a closed type (an enum, two letters, at most 32
/// bytes written as base64, a duration), and there is no string parameter, so no caller can put a
/// name, a date of birth or a payload into it.
///
/// The form is logfmt, stable for grep and log shippers:
/// `verdict=fail reason=expired type=vaccination country=DE kid=AbCdEfGhIjk= latency_ms=42`.
/// Unknown fields are written as `-`.
public struct VerdictLine: Sendable, Hashable, CustomStringConvertible {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        case pass
        case fail
    }

    public let verdict: Verdict
    public let reason: Reason
    public let credentialType: CredentialType?
    public let issuerCountry: IssuerCountry?
    public let kid: KeyIdentifier?
    /// From the frame's capture to the decision.
    public let latency: Duration

    public init(
        verdict: Verdict, reason: Reason, credentialType: CredentialType?, issuerCountry: IssuerCountry?,
        kid: KeyIdentifier?, latency: Duration
    ) {
        self.verdict = verdict
        self.reason = reason
        self.credentialType = credentialType
        self.issuerCountry = issuerCountry
        self.kid = kid
        self.latency = latency
    }

    /// Whole milliseconds, rounded down; negative durations (a clock step) count as 0.
    public var latencyMilliseconds: Int64 {
        let (seconds, attoseconds) = latency.components
        return max(0, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    public var description: String {
        "verdict=\(verdict.rawValue) reason=\(reason.rawValue) type=\(credentialType?.rawValue ?? "-")"
            + " country=\(issuerCountry?.code ?? "-") kid=\(kid?.description ?? "-") latency_ms=\(latencyMilliseconds)"
    }
}
