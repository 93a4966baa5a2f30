import AdmissionRules
import FoundationEssentials
import SystemCalls
import HealthCredentials
import JSON
import TrustSources

/// What `gatecheck trust show` prints: sequence, age, expiry, keys per trust framework, signers per country,
/// revocation counts, admission rules per country and whether the device is fit to decide.
public struct TrustStatusReport: Sendable {
    public let sequence: UInt64
    public let producer: String
    /// The full bundle the installed delta applies to; nil when no delta is in use.
    public let base: BundleManifest.Base?
    /// Why an installed delta was left out (it names another base); nil when none was.
    public let ignoredDelta: String?
    public let issuedAt: Date
    public let notAfter: Date
    public let ageDays: Double
    public let signersByCountry: [String: Int]
    /// Keys (or anchors) per trust framework: `hcert`, `shc`, `icao`, `did`.
    public let frameworks: [String: Int]
    public let revocations: [String: Int]
    public let rules: RuleSet?
    public let valueSets: ValueSets?
    /// "ok", "trust-stale" or "clock-untrusted".
    public let status: String
    public let detail: String?

    public init(installed: InstalledTrust, assessment: TrustedClock.Assessment, now: Date) {
        let manifest = installed.manifest
        sequence = manifest.sequence
        producer = manifest.producer
        base = manifest.base
        ignoredDelta = installed.ignoredDelta
        issuedAt = manifest.issuedAt
        notAfter = manifest.notAfter
        ageDays = now.timeIntervalSince(manifest.issuedAt) / 86_400
        signersByCountry = Dictionary(grouping: installed.bundle.signers, by: { $0.country ?? "??" }).mapValues(\.count)
        frameworks = Dictionary(uniqueKeysWithValues: installed.trust.counts.map { ($0.framework.rawValue, $0.count) })
        revocations = Dictionary(uniqueKeysWithValues: BundleSection.revocationTables.map { ($0.rawValue, installed.revocationCount($0)) })
        rules = installed.bundle.rules
        valueSets = installed.bundle.valueSets
        switch assessment.fitness {
        case .fit:
            status = "ok"
            detail = assessment.warnings.first
        case .trustStale(let reason):
            status = "trust-stale"
            detail = reason
        case .clockUntrusted(let reason):
            status = "clock-untrusted"
            detail = reason
        }
    }

    public func text() -> String {
        let formatter = Date.ISO8601FormatStyle()
        var lines = [
            "status: \(status == "ok" ? "OK" : status.uppercased())\(detail.map { " (\($0))" } ?? "")",
            "sequence: \(sequence) (producer \(producer))",
        ]
        if let base { lines.append("delta: on base sequence \(base.sequence) (manifest sha256 \(base.sha256))") }
        if let ignoredDelta { lines.append("warning: \(ignoredDelta)") }
        lines += [
            "issued: \(formatter.format(issuedAt)), \(FixedPoint.text(ageDays, places: 1)) days ago",
            "stale after: \(formatter.format(notAfter))",
            "frameworks: " + CredentialTrust.Framework.allCases.map { "\($0.rawValue) \(frameworks[$0.rawValue] ?? 0)" }.joined(separator: ", "),
            "signers: \(signersByCountry.values.reduce(0, +)) in \(signersByCountry.count) countries",
        ]
        lines += signersByCountry.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        lines.append("revocations: " + revocations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        lines += RulesSummary.lines(rules: rules, valueSets: valueSets)
        return lines.joined(separator: "\n")
    }

    /// One JSON object, keys sorted.
    public func json() -> String {
        let formatter = Date.ISO8601FormatStyle()
        let counts = { (map: [String: Int]) in JSONValue.object(map.map { ($0.key, JSONValue.integer($0.value)) }) }
        let summary = RulesSummary.json(rules: rules, valueSets: valueSets)
        let object: JSONValue = .object([
            ("status", .string(status)), ("detail", detail.map(JSONValue.string) ?? .null),
            ("sequence", .number(JSONNumber(Int64(clamping: sequence)))), ("producer", .string(producer)),
            ("base", base.map { .object([("sequence", .number(JSONNumber(Int64(clamping: $0.sequence)))), ("sha256", .string($0.sha256))]) } ?? .null),
            ("ignoredDelta", ignoredDelta.map(JSONValue.string) ?? .null),
            ("issuedAt", .string(formatter.format(issuedAt))), ("notAfter", .string(formatter.format(notAfter))),
            ("ageDays", JSONNumber((ageDays * 10).rounded() / 10).map(JSONValue.number) ?? .null),
            ("signers", .integer(signersByCountry.values.reduce(0, +))), ("signersByCountry", counts(signersByCountry)),
            ("frameworks", counts(frameworks)),
            ("revocations", counts(revocations)), ("ruleSets", summary.ruleSets), ("valueSets", summary.valueSets),
        ])
        return JSONWriter.string(object, memberOrder: .sortedByUTF16)
    }
}
