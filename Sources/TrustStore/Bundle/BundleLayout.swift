/// The framing of a trust bundle file. Binary on purpose: the revocation tables must sit at known,
/// aligned offsets so the daemon can memory-map them instead of reading them into memory.
///
/// ```
/// 0   magic "GCTRUST\0"            8 bytes
/// 8   format version (1)           UInt32, big-endian
/// 12  section count (1...16)       UInt32, big-endian
/// 16  section table, 48 bytes each: name (24 bytes, ASCII, NUL-padded), offset (UInt64 BE), length (UInt64 BE), 8 reserved zero bytes
/// ... sections, each starting at a multiple of 16, in table order, with only zero padding (< 16 bytes) between them, up to the end of the file
/// ```
struct BundleLayout: Sendable {
    static let magic: [UInt8] = Array("GCTRUST".utf8) + [0]
    static let formatVersion: UInt32 = 1
    static let maximumSections = 16
    static let headerSize = 16
    static let entrySize = 48
    static let nameSize = 24
    static let alignment = 16
    /// The whole file: three full revocation tables plus the rest.
    static let maximumFileSize = 1 << 30

    struct Entry: Sendable, Hashable {
        let section: BundleSection
        let offset: Int
        let length: Int
    }

    let entries: [Entry]

    func entry(_ section: BundleSection) -> Entry? { entries.first { $0.section == section } }

    /// Reads and checks the framing: sizes first, then every offset against the file.
    static func read(_ fd: Int32, path: String) throws(TrustStoreError) -> BundleLayout {
        let fileSize = try TrustFiles.fileSize(fd, path)
        guard fileSize <= maximumFileSize else {
            throw TrustStoreError(.tooLarge, "\(path): \(fileSize) bytes exceeds the bundle limit of \(maximumFileSize)")
        }
        guard fileSize >= headerSize else { throw TrustStoreError(.malformed, "\(path): too short for a bundle header") }
        let header = try TrustFiles.read(fd, path, offset: 0, count: headerSize)
        guard Array(header[0..<8]) == magic else { throw TrustStoreError(.malformed, "\(path): not a GateCheck trust bundle") }
        let version = bigEndian(header[8..<12])
        guard version == UInt64(formatVersion) else {
            throw TrustStoreError(.malformed, "\(path): bundle format \(version) is not supported (expected \(formatVersion))")
        }
        let count = Int(bigEndian(header[12..<16]))
        guard (1...maximumSections).contains(count) else {
            throw TrustStoreError(.malformed, "\(path): \(count) sections (1 to \(maximumSections) allowed)")
        }
        let tableEnd = headerSize + count * entrySize
        guard tableEnd <= fileSize else { throw TrustStoreError(.malformed, "\(path): section table runs past the end") }
        let table = try TrustFiles.read(fd, path, offset: headerSize, count: count * entrySize)

        var entries: [Entry] = []
        var position = tableEnd
        for index in 0..<count {
            let raw = table[(index * entrySize)..<((index + 1) * entrySize)]
            let nameBytes = raw.prefix(nameSize)
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            guard nameBytes.drop(while: { $0 != 0 }).allSatisfy({ $0 == 0 }), let section = BundleSection(rawValue: name) else {
                throw TrustStoreError(.malformed, "\(path): unknown section name in entry \(index)")
            }
            guard !entries.contains(where: { $0.section == section }) else {
                throw TrustStoreError(.malformed, "\(path): section \(name) appears twice")
            }
            let offset = bigEndian(raw.dropFirst(nameSize).prefix(8))
            let length = bigEndian(raw.dropFirst(nameSize + 8).prefix(8))
            guard raw.suffix(8).allSatisfy({ $0 == 0 }) else { throw TrustStoreError(.malformed, "\(path): reserved bytes set") }
            guard length <= UInt64(section.maximumLength) else {
                throw TrustStoreError(.tooLarge, "\(path): section \(name) of \(length) bytes exceeds \(section.maximumLength)")
            }
            // Sections follow each other in table order, aligned, with only alignment padding between them.
            let expected = (position + alignment - 1) / alignment * alignment
            guard offset == UInt64(expected), offset + length <= UInt64(fileSize) else {
                throw TrustStoreError(.malformed, "\(path): section \(name) is not where the format puts it")
            }
            // Padding is zero, so every byte of a bundle is checked: a bit flipped there is found like any other.
            if Int(offset) > position, try TrustFiles.read(fd, path, offset: position, count: Int(offset) - position).contains(where: { $0 != 0 }) {
                throw TrustStoreError(.malformed, "\(path): padding before section \(name) is not zero")
            }
            entries.append(Entry(section: section, offset: Int(offset), length: Int(length)))
            position = Int(offset + length)
        }
        guard position == fileSize else {
            throw TrustStoreError(.malformed, "\(path): \(fileSize - position) bytes after the last section")
        }
        return BundleLayout(entries: entries)
    }

    /// Lays out sections in the given order and returns the whole file.
    static func encode(_ sections: [(BundleSection, [UInt8])]) -> [UInt8] {
        var header = magic
        append(UInt64(formatVersion), width: 4, to: &header)
        append(UInt64(sections.count), width: 4, to: &header)
        var position = headerSize + sections.count * entrySize
        var body: [UInt8] = []
        for (section, bytes) in sections {
            let offset = (position + alignment - 1) / alignment * alignment
            body += [UInt8](repeating: 0, count: offset - position)
            var name = Array(section.rawValue.utf8)
            name += [UInt8](repeating: 0, count: nameSize - name.count)
            header += name
            append(UInt64(offset), width: 8, to: &header)
            append(UInt64(bytes.count), width: 8, to: &header)
            header += [UInt8](repeating: 0, count: 8)
            body += bytes
            position = offset + bytes.count
        }
        return header + body
    }

    private static func bigEndian(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
