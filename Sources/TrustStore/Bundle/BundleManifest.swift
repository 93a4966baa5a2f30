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
        case format, sequence, issuedAt, notAfter, producer, files
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
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(Self.dateStyle.format(issuedAt), forKey: .issuedAt)
        try container.encode(Self.dateStyle.format(notAfter), forKey: .notAfter)
        try container.encode(producer, forKey: .producer)
        try container.encode(files, forKey: .files)
    }
}
