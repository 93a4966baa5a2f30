import FoundationEssentials
import JSON

/// What a bundle says about itself; signed, and read only after its signature verified.
///
/// The JSON is the one bundles have always had (Foundation's `JSONEncoder` wrote it before the JSON
/// module existed): members sorted, pretty-printed with two-space indent, `/` unescaped, dates in
/// ISO 8601 to the second. `encoded()` gives the same bytes as that encoder did.
public struct BundleManifest: Sendable, Hashable {
    public struct File: Sendable, Hashable {
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
              let manifest = BundleManifest(json: document)
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
        let files: [JSONValue] = files.map { ["name": .string($0.name), "length": .integer($0.length), "sha256": .string($0.sha256)] }
        let manifest: JSONValue = [
            "format": .integer(format),
            "sequence": .integer(sequence),
            "issuedAt": .string(Self.dateStyle.format(issuedAt)),
            "notAfter": .string(Self.dateStyle.format(notAfter)),
            "producer": .string(producer),
            "files": .array(files),
        ]
        return JSONWriter.prettyBytes(manifest, memberOrder: .sortedByUTF16)
    }

    /// What `JSONEncoder`/`JSONDecoder` used for `.iso8601` dates: whole seconds in UTC when writing;
    /// when reading also a fraction or an offset (`…T01:00:00+01:00`).
    private static let dateStyle = Date.ISO8601FormatStyle()
}

extension BundleManifest {
    /// Reads the members by the rules the Codable form had: all required, each of its one type
    /// (integers written as integers), unknown members ignored. Nil when anything is missing or mistyped.
    private init?(json: JSONValue) {
        guard let format = json["format"]?.int64.flatMap({ Int(exactly: $0) }),
              let sequence = json["sequence"]?.uint64,
              let issuedAt = json["issuedAt"]?.string.flatMap({ try? Self.dateStyle.parse($0) }),
              let notAfter = json["notAfter"]?.string.flatMap({ try? Self.dateStyle.parse($0) }),
              let producer = json["producer"]?.string,
              let entries = json["files"]?.array
        else { return nil }
        var files: [File] = []
        for entry in entries {
            guard let name = entry["name"]?.string,
                  let length = entry["length"]?.int64.flatMap({ Int(exactly: $0) }),
                  let sha256 = entry["sha256"]?.string
            else { return nil }
            files.append(File(name: name, length: length, sha256: sha256))
        }
        self.init(format: format, sequence: sequence, issuedAt: issuedAt, notAfter: notAfter, producer: producer, files: files)
    }
}
