/// The holder-free part of a ``VerificationReport``: the verdict and what may be said about the credential
/// without naming its holder. The scan pipeline carries it, the daemon's verdict line is made from it
/// (GateVocabulary's `VerdictLine.init(_:latencyMilliseconds:)`), and ``init(_:)`` is the one mapping from a report.
///
/// Deliberately holds no personal data and no payload: verdict, reason code, certificate type, issuer
/// country, the signer's key id and failing rules' identifiers. Everything here may go to logs, counters and lamps.
public struct Decision: Sendable, Hashable, CustomStringConvertible {
    public let verdict: VerificationReport.Verdict
    /// The stable reason code of the first failing check; nil for a pass.
    public let reason: CredentialError.Code?
    public let type: CertificateType?
    /// The issuing country from the CWT (`iss`).
    public let issuer: String?
    /// The document signer's key id (not personal: it names the issuer's key).
    public let kid: [UInt8]?
    /// Identifiers of the admission rules that failed, in evaluation order (rule names, not personal data).
    public let failedRules: [String]

    /// A decision from its parts, e.g. for fakes.
    public init(
        verdict: VerificationReport.Verdict, reason: CredentialError.Code? = nil, type: CertificateType? = nil,
        issuer: String? = nil, kid: [UInt8]? = nil, failedRules: [String] = []
    ) {
        self.failedRules = failedRules
        self.verdict = verdict
        self.reason = reason
        self.type = type
        self.issuer = issuer
        self.kid = kid
    }

    /// The holder-free part of a verification report.
    public init(_ report: VerificationReport) {
        self.init(
            verdict: report.verdict, reason: report.failure?.code, type: report.type, issuer: report.issuer,
            kid: report.kid, failedRules: report.failedRules
        )
    }

    public var description: String {
        var parts = [verdict.rawValue]
        if let reason { parts.append("reason=\(reason)") }
        if !failedRules.isEmpty { parts.append("rules=\(failedRules.joined(separator: ","))") }
        if let type { parts.append("type=\(type.rawValue)") }
        if let issuer { parts.append("issuer=\(issuer)") }
        if let kid {
            let digits = Array("0123456789abcdef")
            parts.append("kid=" + String(kid.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }))
        }
        return parts.joined(separator: " ")
    }
}
