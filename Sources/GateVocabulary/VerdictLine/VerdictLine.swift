import DaemonSupport
import HealthCredentials

/// The one log line per decision, and everything it may hold: verdict, reason code, failing admission
/// rules, credential type, issuer country, kid and latency. Every field is a closed type (the verifier's
/// `CredentialError.Code`, an enum, two letters, at most 32 bytes written as base64, a duration), and there is no
/// string parameter, so no caller can put a name, a date of birth or a payload into it.
///
/// The form is logfmt, stable for grep and log shippers:
/// `verdict=fail reason=expired type=vaccination country=DE kid=AbCdEfGhIjk= latency_ms=42`.
/// Unknown fields are written as `-`. When admission rules failed, `rules=VR-DE-0001,VR-DE-0003`
/// follows the reason (and only then, so lines without rules read as before).
///
/// Verdict, reason and type are the verifier's own types (HealthCredentials); only the fields that would
/// otherwise be free text (country, kid, rules) have closed types of their own here.
public struct VerdictLine: Sendable, Hashable, CustomStringConvertible {
    public typealias Verdict = VerificationReport.Verdict

    public let verdict: Verdict
    /// Why: the verifier's code of the first failing check, nil (`none`) for a pass.
    public let reason: CredentialError.Code?
    /// The admission rules that failed or could not be evaluated, in evaluation order.
    public let failedRules: [RuleIdentifier]
    public let credentialType: CertificateType?
    public let issuerCountry: IssuerCountry?
    public let kid: KeyIdentifier?
    /// From the frame's capture to the decision.
    public let latency: Duration

    public init(
        verdict: Verdict, reason: CredentialError.Code?, credentialType: CertificateType?, issuerCountry: IssuerCountry?,
        kid: KeyIdentifier?, latency: Duration, failedRules: [RuleIdentifier] = []
    ) {
        self.verdict = verdict
        self.reason = reason
        self.failedRules = failedRules
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
    public var reasonWord: String { Self.word(reason) }

    public var description: String {
        "verdict=\(verdict.rawValue) reason=\(reasonWord)"
            + (failedRules.isEmpty ? "" : " rules=" + failedRules.map(\.identifier).joined(separator: ","))
            + " type=\(credentialType.map(Self.word) ?? "-")"
            + " country=\(issuerCountry?.code ?? "-") kid=\(kid?.description ?? "-") latency_ms=\(latencyMilliseconds)"
    }
}

extension LogLineFormatter {
    /// A verdict line at info priority.
    public func format(_ verdict: VerdictLine) -> String {
        format(.info, verdict.description)
    }
}
