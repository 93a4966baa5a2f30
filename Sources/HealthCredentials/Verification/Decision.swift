/// The holder-free verdict: what the scan pipeline carries, the counters count and the verdict line writes.
///
/// The gate's verdict vocabulary has two types: ``VerificationReport``, the verifier's full answer (every step,
/// and the holder for `verify --json`), and this. ``init(_:)`` is the one mapping between them.
///
/// Every field is a closed type (the verifier's verdict, `CredentialError.Code` and `CertificateType`; two letters;
/// at most 32 bytes; the gateway's rule-identifier shape), and there is no free-text field, so nothing built from a
/// payload can put a name, a date of birth or other payload text into a log line or a counter.
public struct Decision: Sendable, Hashable, CustomStringConvertible {
    public typealias Verdict = VerificationReport.Verdict

    public let verdict: Verdict
    /// The credential's format, recognised by shape before decoding, so even a decode failure carries it.
    public let format: CredentialFormat
    /// The verifier's code of the first failing check; nil for a pass.
    public let reason: CredentialError.Code?
    /// The admission rules that decided a refusal (`rule-failed`, `rule-error`), in evaluation order.
    public let failedRules: [RuleIdentifier]
    public let credentialType: CertificateType?
    /// The issuing country from the CWT (`iss`).
    public let issuerCountry: IssuerCountry?
    /// The document signer's key id (not personal: it names the issuer's key).
    public let kid: KeyIdentifier?

    /// A decision from its parts, e.g. for fakes.
    public init(
        verdict: Verdict, format: CredentialFormat = .hc1, reason: CredentialError.Code? = nil, credentialType: CertificateType? = nil,
        issuerCountry: IssuerCountry? = nil, kid: KeyIdentifier? = nil, failedRules: [RuleIdentifier] = []
    ) {
        self.verdict = verdict
        self.format = format
        self.reason = reason
        self.failedRules = failedRules
        self.credentialType = credentialType
        self.issuerCountry = issuerCountry
        self.kid = kid
    }

    /// The holder-free part of a verification report: verdict, reason and type pass through as they are;
    /// country, kid and rules keep only what fits their closed types.
    ///
    /// Failing rules are kept only when they decided the verdict (`rule-failed`, `rule-error`). A credential refused
    /// at an earlier step (a bad signature, its own validity) has had its rules evaluated too, but they are not why
    /// it was refused, and an unauthenticated payload must not move the per-rule counters.
    public init(_ report: VerificationReport) {
        let reason = report.failure?.code
        let rulesDecided = reason == .ruleFailed || reason == .ruleError
        self.init(
            verdict: report.verdict, format: report.format, reason: reason, credentialType: report.type,
            issuerCountry: report.issuer.flatMap(IssuerCountry.init), kid: report.kid.flatMap(KeyIdentifier.init),
            failedRules: rulesDecided ? report.failedRules.compactMap(RuleIdentifier.init) : []
        )
    }

    /// The form `gatecheck scan` prints: `pass`, or `fail reason=… rules=… type=v issuer=DE kid=<hex>`, with
    /// `format=…` after the verdict for anything but `hc1`.
    public var description: String {
        var parts = [verdict.rawValue]
        if format != .hc1 { parts.append("format=\(format.rawValue)") }
        if let reason { parts.append("reason=\(reason)") }
        if !failedRules.isEmpty { parts.append("rules=\(failedRules.map(\.identifier).joined(separator: ","))") }
        if let credentialType { parts.append("type=\(credentialType.rawValue)") }
        if let issuerCountry { parts.append("issuer=\(issuerCountry.code)") }
        if let kid {
            let digits = Array("0123456789abcdef")
            parts.append("kid=" + String(kid.bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }))
        }
        return parts.joined(separator: " ")
    }
}
