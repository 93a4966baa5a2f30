import Foundation

/// What a bundle says about itself; signed, and read only after its signature verified.
public struct BundleManifest: Codable, Sendable, Hashable {
    public struct File: Codable, Sendable, Hashable {
        public let name: String
        public let length: Int
        /// Lowercase hex SHA-256 of the section.
        public let sha256: String
    }

    public static let currentFormat = 1

    public let format: Int
    /// Strictly increasing between bundles: the device refuses anything not above what it has.
    public let sequence: UInt64
    public let issuedAt: Date
    /// After this the device regards its trust as stale.
    public let notAfter: Date
    /// Who produced the bundle (back-office id); informational.
    public let producer: String
    /// Every section except `manifest` and `signature`.
    public let files: [File]

    static func decode(_ bytes: [UInt8]) throws(TrustStoreError) -> BundleManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: BundleManifest
        do {
            manifest = try decoder.decode(BundleManifest.self, from: Data(bytes))
        } catch {
            throw TrustStoreError(.malformed, "manifest is not valid JSON of the expected shape")
        }
        guard manifest.format == currentFormat else {
            throw TrustStoreError(.malformed, "manifest format \(manifest.format) is not \(currentFormat)")
        }
        guard manifest.notAfter > manifest.issuedAt else { throw TrustStoreError(.malformed, "manifest notAfter is not after issuedAt") }
        guard manifest.files.count <= BundleLayout.maximumSections,
              Set(manifest.files.map(\.name)).count == manifest.files.count
        else { throw TrustStoreError(.malformed, "manifest lists a file twice or too many files") }
        return manifest
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and dates cannot fail.
        return Array(try! encoder.encode(self))
    }
}
