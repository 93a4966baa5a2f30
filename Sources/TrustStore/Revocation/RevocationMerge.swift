/// One pass over two sorted revocation tables, in pieces: memory stays flat however long the tables are.
/// `trust bundle diff` counts what changed with it; `trust bundle create --delta-from` writes the changes.
enum RevocationMerge {
    /// Where an entry was found.
    enum Side {
        case old, new, both
    }

    /// Calls `visit` for every entry of either table, in ascending order, saying which tables hold it.
    static func merge(
        _ old: RevocationEntries, _ new: RevocationEntries, _ visit: (Side, (UInt64, UInt64)) -> Void
    ) throws(TrustStoreError) {
        var (old, new) = (old, new)
        var left = try old.next()
        var right = try new.next()
        while left != nil || right != nil {
            if let a = left, let b = right, a == b {
                visit(.both, a)
                left = try old.next()
                right = try new.next()
            } else if let a = left, right.map({ a < $0 }) ?? true {
                visit(.old, a)
                left = try old.next()
            } else if let b = right {
                visit(.new, b)
                right = try new.next()
            }
        }
    }

    /// The entries added to and removed from `old` to give `new`, as table bytes (sorted, 16 bytes each).
    static func changes(from old: RevocationEntries, to new: RevocationEntries) throws(TrustStoreError) -> (added: [UInt8], removed: [UInt8]) {
        var (added, removed): ([UInt8], [UInt8]) = ([], [])
        try merge(old, new) { side, entry in
            switch side {
            case .old: append(entry, to: &removed)
            case .new: append(entry, to: &added)
            case .both: break
            }
        }
        return (added, removed)
    }

    private static func append(_ entry: (UInt64, UInt64), to bytes: inout [UInt8]) {
        withUnsafeBytes(of: entry.0.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: entry.1.bigEndian) { bytes += $0 }
    }
}

/// The entries of one sorted revocation table, read in 1 MiB pieces from a bundle file, or from table bytes in memory.
struct RevocationEntries {
    /// nil: everything is in `buffer` already.
    private let file: (fd: Int32, path: String)?
    private var offset: Int
    private var remaining: Int
    private var buffer: [UInt8] = []
    private var position = 0

    init(fd: Int32, path: String, offset: Int, count: Int) {
        (file, self.offset, remaining) = ((fd, path), offset, count)
    }

    /// `bytes`: whole 16-byte entries (a trailing partial entry is ignored).
    init(tableBytes bytes: [UInt8]) {
        (file, offset, remaining, buffer) = (nil, 0, 0, bytes)
    }

    mutating func next() throws(TrustStoreError) -> (UInt64, UInt64)? {
        let size = RevocationTable.entrySize
        if position + size > buffer.count {
            guard let file, remaining > 0 else { return nil }
            let entries = min(remaining, (1 << 20) / size)
            buffer = try TrustFiles.read(file.fd, file.path, offset: offset, count: entries * size)
            (offset, remaining, position) = (offset + entries * size, remaining - entries, 0)
        }
        defer { position += size }
        return buffer.withUnsafeBytes { RevocationSearch.entry($0.baseAddress!, position / size) }
    }
}
