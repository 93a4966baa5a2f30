/// The search shared by mapped and in-memory revocation tables, over raw 16-byte entries.
///
/// Entries are compared as two big-endian `UInt64` halves, which orders them exactly like a
/// byte-wise comparison. The first half doubles as the interpolation key: entries are truncated
/// SHA-256 hashes, so they are uniform and interpolation lands within a few entries of the
/// target (about log log n probes). A hostile or unlucky distribution cannot make it slow:
/// after `maxInterpolationSteps` the remaining range is finished by binary search.
enum RevocationSearch {
    static let entrySize = 16
    /// Uniform keys need 2-4 steps for 10 million entries; more means the data is not uniform.
    static let maxInterpolationSteps = 8

    /// The hash as (high, low) big-endian halves, or nil unless it is exactly 16 bytes.
    static func key(of hash: some Collection<UInt8>) -> (UInt64, UInt64)? {
        // Arrays and slices (the usual callers) take one unspecialised call instead of 16.
        if let key = hash.withContiguousStorageIfAvailable({ key(of: UnsafeRawBufferPointer($0)) }) {
            return key
        }
        // Other collections: no `count` (O(n) for some) or `enumerated()` (generic metadata per call).
        var high: UInt64 = 0
        var low: UInt64 = 0
        var length = 0
        for byte in hash {
            guard length < entrySize else { return nil }
            if length < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
            length += 1
        }
        guard length == entrySize else { return nil }
        return (high, low)
    }

    static func key(of buffer: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        guard buffer.count == entrySize, let base = buffer.baseAddress else { return nil }
        return entry(base, 0)
    }

    /// Entry `index`, read unaligned: a table may start at any offset inside its file.
    @inline(__always)
    static func entry(_ base: UnsafeRawPointer, _ index: Int) -> (UInt64, UInt64) {
        let offset = index &* entrySize
        return (
            UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
            UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self))
        )
    }

    /// Whether `target` is among the `count` sorted entries at `base`; `probes` grows by the
    /// number of entries compared at interpolated or bisected positions (range bounds not counted).
    static func contains(_ target: (UInt64, UInt64), in base: UnsafeRawPointer?, count: Int, probes: inout Int) -> Bool {
        guard let base, count > 0 else { return false }
        var low = 0
        var high = count - 1
        var steps = 0
        while low <= high, steps < maxInterpolationSteps {
            steps += 1
            let first = entry(base, low)
            let last = entry(base, high)
            if target < first || target > last { return false }
            if target == first || target == last { return true }
            // Equal keys at both ends give no slope to interpolate along.
            guard first.0 < last.0 else { break }
            // (target - first) / (last - first) * (high - low) in 128 bits; the quotient is at most high - low.
            let product = (target.0 - first.0).multipliedFullWidth(by: UInt64(high - low))
            let step = (last.0 - first.0).dividingFullWidth(product).quotient
            let position = low + Int(step)
            probes += 1
            let probed = entry(base, position)
            if probed == target { return true }
            if probed < target {
                low = position + 1
            } else {
                high = position - 1
            }
        }
        while low <= high {
            let middle = low + (high - low) / 2
            probes += 1
            let probed = entry(base, middle)
            if probed == target { return true }
            if probed < target {
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return false
    }

    /// The first index whose entry is not greater than its predecessor, or nil if strictly ascending.
    static func firstDisorder(in base: UnsafeRawPointer?, count: Int) -> Int? {
        guard let base, count > 1 else { return nil }
        var previous = entry(base, 0)
        for index in 1..<count {
            let current = entry(base, index)
            guard previous < current else { return index }
            previous = current
        }
        return nil
    }
}
