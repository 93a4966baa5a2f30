/// Builds revocation table bytes from a list of hashes (back office / install tooling).
///
/// The output is the on-disk format `RevocationTable` maps: 16-byte entries, strictly ascending
/// in byte order, no header. Memory is O(n): about 16 bytes per hash on top of the input.
public enum RevocationTableBuilder {
    /// Sorts and deduplicates `hashes` into table bytes. Throws `badEntryLength` for any hash that
    /// is not exactly 16 bytes, rather than dropping it: a silently missing entry is a revoked
    /// credential that passes.
    public static func build(_ hashes: [[UInt8]]) throws(RevocationTableError) -> [UInt8] {
        var keys: [(UInt64, UInt64)] = []
        keys.reserveCapacity(hashes.count)
        for (index, hash) in hashes.enumerated() {
            guard let key = RevocationSearch.key(of: hash) else {
                throw RevocationTableError(.badEntryLength, "hash \(index) has \(hash.count) bytes, expected 16")
            }
            keys.append(key)
        }
        keys.sort { $0 < $1 }
        var unique = 0
        for key in keys where unique == 0 || keys[unique - 1] != key {
            keys[unique] = key
            unique += 1
        }
        let size = RevocationTable.entrySize
        return [UInt8](unsafeUninitializedCapacity: unique * size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for index in 0..<unique {
                raw.storeBytes(of: keys[index].0.bigEndian, toByteOffset: index * size, as: UInt64.self)
                raw.storeBytes(of: keys[index].1.bigEndian, toByteOffset: index * size + 8, as: UInt64.self)
            }
            initialized = unique * size
        }
    }
}
