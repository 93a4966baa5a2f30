import Foundation
import HealthCredentials

/// What `gatecheck trust show` prints: sequence, age, expiry, signers per country, revocation
/// counts and whether the device is fit to decide.
public struct TrustStatusReport: Sendable {
    public let sequence: UInt64
    public let producer: String
    public let issuedAt: Date
    public let notAfter: Date
    public let ageDays: Double
    public let signersByCountry: [String: Int]
    public let revocations: [String: Int]
    /// "ok", "trust-stale" or "clock-untrusted".
    public let status: String
    public let detail: String?

    public init(installed: InstalledTrust, assessment: TrustedClock.Assessment, now: Date) {
        let manifest = installed.manifest
        sequence = manifest.sequence
        producer = manifest.producer
        issuedAt = manifest.issuedAt
        notAfter = manifest.notAfter
        ageDays = now.timeIntervalSince(manifest.issuedAt) / 86_400
        signersByCountry = Dictionary(grouping: installed.bundle.signers, by: { $0.country ?? "??" }).mapValues(\.count)
        revocations = Dictionary(uniqueKeysWithValues: BundleSection.revocationTables.map { ($0.rawValue, installed.revocationCount($0)) })
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
        let formatter = ISO8601DateFormatter()
        var lines = [
            "status: \(status == "ok" ? "OK" : status.uppercased())\(detail.map { " (\($0))" } ?? "")",
            "sequence: \(sequence) (producer \(producer))",
            "issued: \(formatter.string(from: issuedAt)), \(String(format: "%.1f", ageDays)) days ago",
            "stale after: \(formatter.string(from: notAfter))",
            "signers: \(signersByCountry.values.reduce(0, +)) in \(signersByCountry.count) countries",
        ]
        lines += signersByCountry.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        lines.append("revocations: " + revocations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        let formatter = ISO8601DateFormatter()
        let object: [String: Any] = [
            "status": status, "detail": detail ?? NSNull(), "sequence": sequence, "producer": producer,
            "issuedAt": formatter.string(from: issuedAt), "notAfter": formatter.string(from: notAfter),
            "ageDays": (ageDays * 10).rounded() / 10, "signers": signersByCountry.values.reduce(0, +),
            "signersByCountry": signersByCountry, "revocations": revocations,
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])  // plain values only
        return String(decoding: data, as: UTF8.self)
    }
}
