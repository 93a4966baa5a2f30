import FoundationEssentials
import JSON

/// What a bundle says about itself; signed, and read only after its signature verified.
///
/// The JSON is the one bundles have always had (Foundation's `JSONEncoder` wrote it before the JSON
/// module existed): members sorted, pretty-printed with two-space indent, `/` unescaped, dates in
/// ISO 8601 to the second. `encoded()` gives the same bytes as that encoder did.
public struct BundleManifest: Sendable, Hashable, Codable {
    public struct File: Sendable, Hashable, Codable {
        public let name: String
        public let length: Int
        /// Lowercase hex SHA-256 of the section.
        public let sha256: String
    }

    /// The bundle a delta bundle applies to: its sequence and the SHA-256 of its manifest section (which
    /// lists every other section's hash, so it names the whole base).
    public struct Base: Sendable, Hashable, Codable {
        public let sequence: UInt64
        /// Lowercase hex SHA-256 of the base bundle's manifest section bytes.
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
    /// Set in a delta bundle only; absent from a full bundle's JSON.
    public let base: Base?

    public var isDelta: Bool { base != nil }

    /// A delta's revocation entries added and removed since its base, over all tables (from the listed lengths);
    /// nil for a full bundle.
    public var deltaChanges: (added: Int, removed: Int)? {
        guard isDelta else { return nil }
        let entries = { (sections: [BundleSection]) in
            files.filter { file in sections.contains { $0.rawValue == file.name } }.reduce(0) { $0 + $1.length } / RevocationTable.entrySize
        }
        let tables = BundleSection.revocationTables.compactMap(\.deltaTables)
        return (entries(tables.map(\.added)), entries(tables.map(\.removed)))
    }

    init(format: Int, sequence: UInt64, issuedAt: Date, notAfter: Date, producer: String, files: [File], base: Base? = nil) {
        (self.format, self.sequence, self.issuedAt, self.notAfter, self.producer, self.files, self.base) =
            (format, sequence, issuedAt, notAfter, producer, files, base)
    }

    static func decode(_ bytes: [UInt8]) throws(TrustStoreError) -> BundleManifest {
        guard let document = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: JSONLimits(maxBytes: BundleSection.manifest.maximumLength)),
              let manifest = try? JSONValueDecoder().decode(BundleManifest.self, from: document)
        else { throw TrustStoreError(.malformed, "manifest is not valid JSON of the expected shape") }
        guard manifest.format == currentFormat else {
            throw TrustStoreError(.malformed, "manifest format \(manifest.format) is not \(currentFormat)")
        }
        guard manifest.notAfter > manifest.issuedAt else { throw TrustStoreError(.malformed, "manifest notAfter is not after issuedAt") }
        guard manifest.files.count <= BundleLayout.maximumSections,
              Set(manifest.files.map(\.name)).count == manifest.files.count
        else { throw TrustStoreError(.malformed, "manifest lists a file twice or too many files") }
        if let base = manifest.base {
            guard base.sequence < manifest.sequence else {
                throw TrustStoreError(.malformed, "manifest base sequence \(base.sequence) is not below the delta's \(manifest.sequence)")
            }
            guard base.sha256.utf8.count == 64, base.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw TrustStoreError(.malformed, "manifest base sha256 is not 64 lowercase hex digits")
            }
        }
        return manifest
    }

    func encoded() -> [UInt8] {
        // Every member is a string or an integer: encoding cannot fail.
        let manifest = try! JSONValueEncoder().encode(self)
        return JSONWriter.prettyBytes(manifest, memberOrder: .sortedByUTF16)
    }

    /// What `JSONEncoder`/`JSONDecoder` used for `.iso8601` dates: whole seconds in UTC when writing;
    /// when reading also a fraction or an offset (`…T01:00:00+01:00`).
    private static let dateStyle = Date.ISO8601FormatStyle()
}

extension BundleManifest {
    private enum CodingKeys: String, CodingKey {
        case format, sequence, issuedAt, notAfter, producer, files, base
    }

    /// Synthesized but for the dates, which are ISO 8601 strings (see `dateStyle`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(Int.self, forKey: .format)
        sequence = try container.decode(UInt64.self, forKey: .sequence)
        issuedAt = try Self.dateStyle.parse(container.decode(String.self, forKey: .issuedAt))
        notAfter = try Self.dateStyle.parse(container.decode(String.self, forKey: .notAfter))
        producer = try container.decode(String.self, forKey: .producer)
        files = try container.decode([File].self, forKey: .files)
        base = try container.decodeIfPresent(Base.self, forKey: .base)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(Self.dateStyle.format(issuedAt), forKey: .issuedAt)
        try container.encode(Self.dateStyle.format(notAfter), forKey: .notAfter)
        try container.encode(producer, forKey: .producer)
        try container.encode(files, forKey: .files)
        try container.encodeIfPresent(base, forKey: .base)
    }
}
