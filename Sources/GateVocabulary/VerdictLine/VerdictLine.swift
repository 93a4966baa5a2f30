import DaemonSupport
import HealthCredentials

/// The one log line per decision: a ``Decision`` (HealthCredentials' holder-free verdict, whose fields are all
/// closed types) and the latency from the frame's capture. There is no string parameter, so no caller can put a
/// name, a date of birth or a payload into it. The decision's fields read through the line (`line.reason`).
///
/// The form is logfmt, stable for grep and log shippers:
/// `verdict=fail format=hc1 reason=expired type=vaccination country=DE kid=AbCdEfGhIjk= latency_ms=42`.
/// Unknown fields are written as `-`. When admission rules failed, `rules=VR-DE-0001,VR-DE-0003`
/// follows the reason (and only then, so lines without rules read as before).
@dynamicMemberLookup
public struct VerdictLine: Sendable, Hashable, CustomStringConvertible {
    public let decision: Decision
    /// From the frame's capture to the decision.
    public let latency: Duration

    public init(_ decision: Decision, latency: Duration) {
        self.decision = decision
        self.latency = latency
    }

    public subscript<Field>(dynamicMember field: KeyPath<Decision, Field>) -> Field { decision[keyPath: field] }

    /// Whole milliseconds, rounded down; negative durations (a clock step) count as 0.
    public var latencyMilliseconds: Int64 {
        let (seconds, attoseconds) = latency.components
        return max(0, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    /// How a credential type is written: `vaccination`, `test` or `recovery` (not the DCC's one-letter key).
    public static func word(_ type: CertificateType) -> String {
        switch type {
        case .vaccination: "vaccination"
        case .test: "test"
        case .recovery: "recovery"
        }
    }

    /// How a reason is written: its code, or `none` for a pass.
    public static func word(_ reason: CredentialError.Code?) -> String { reason?.description ?? "none" }

    /// A reason read back from its word: nil for `none`, ``CredentialError/Code/other`` for a word this build does not know.
    public static func reason(word: String) -> CredentialError.Code? {
        word == "none" ? nil : CredentialError.Code(word) ?? .other
    }

    /// The reason as the line writes it.
    public var reasonWord: String { Self.word(decision.reason) }

    public var description: String {
        let rules = decision.failedRules
        return "verdict=\(decision.verdict.rawValue) format=\(decision.format.rawValue) reason=\(reasonWord)"
            + (rules.isEmpty ? "" : " rules=" + rules.map(\.identifier).joined(separator: ","))
            + " type=\(decision.credentialType.map(Self.word) ?? "-")"
            + " country=\(decision.issuerCountry?.code ?? "-") kid=\(decision.kid?.description ?? "-") latency_ms=\(latencyMilliseconds)"
    }
}

extension LogLineFormatter {
    /// A verdict line at info priority.
    public func format(_ verdict: VerdictLine) -> String {
        format(.info, verdict.description)
    }
}
