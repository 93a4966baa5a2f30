import CBOR

/// Mutates one CBOR item of the input in place of its bytes: an integer becomes a boundary value, a string is
/// mutated by libFuzzer, an element of an array or map is dropped, repeated or swapped, or an item changes type.
/// Byte strings that hold CBOR themselves (COSE's protected header and payload) are descended into. An input that
/// is not CBOR, or a result that would not fit, gets libFuzzer's byte mutations.
enum CBORItemMutator {
    static func mutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
        guard let value = try? CBORParser.decode(Array(UnsafeBufferPointer(start: data, count: size))) else {
            return libFuzzerMutate(data, size, maxSize)
        }
        var random = SplitMix(seed: UInt64(seed))
        let count = itemCount(value)
        let mutated = Array(mutating(value, target: Int(random.next() % UInt64(count)), &random).encodedBytes)
        guard mutated.count <= maxSize, !mutated.isEmpty else { return libFuzzerMutate(data, size, maxSize) }
        mutated.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: mutated.count) }
        return mutated.count
    }

    /// Items in pre-order, the way `mutating` numbers them (CBOR inside a byte string not counted).
    static func itemCount(_ value: CBORValue) -> Int {
        switch value.content {
        case .array(let items): return 1 + items.reduce(0) { $0 + itemCount($1) }
        case .map(let entries): return 1 + entries.reduce(0) { $0 + itemCount($1.key) + itemCount($1.value) }
        case .tagged(_, let item): return 1 + itemCount(item)
        default: return 1
        }
    }

    /// `value` with its item number `target` (pre-order) mutated; everything else keeps its bytes.
    private static func mutating(_ value: CBORValue, target: Int, _ random: inout SplitMix) -> CBORValue {
        var remaining = target
        return walk(value, &remaining, &random)
    }

    private static func walk(_ value: CBORValue, _ remaining: inout Int, _ random: inout SplitMix) -> CBORValue {
        if remaining == 0 {
            remaining = -1
            return mutated(value, &random)
        }
        remaining -= 1
        switch value.content {
        case .array(let items):
            var changed = false
            let new = items.map { item -> CBORValue in
                guard remaining >= 0 else { return item }
                let result = walk(item, &remaining, &random)
                if remaining < 0, !changed { changed = true }
                return result
            }
            return changed ? CBORValue(.array(new)) : value
        case .map(let entries):
            var changed = false
            var new: [(CBORValue, CBORValue)] = []
            for entry in entries {
                guard remaining >= 0 else { new.append((entry.key, entry.value)); continue }
                let key = walk(entry.key, &remaining, &random)
                let item = remaining >= 0 ? walk(entry.value, &remaining, &random) : entry.value
                if remaining < 0 { changed = true }
                new.append((key, item))
            }
            return changed ? .map(new) : value
        case .tagged(let tag, let item):
            let new = walk(item, &remaining, &random)
            return remaining < 0 ? CBORValue(.tagged(tag, new)) : value
        default:
            return value
        }
    }

    private static let boundaries: [Int64] = [0, 1, -1, 23, 24, 255, 256, 65_535, 65_536, -24, -25, 1 << 31, -(1 << 31),
                                               Int64(UInt32.max), .max, .min, 1_660_000_000, 4_102_444_800]

    private static func mutated(_ value: CBORValue, _ random: inout SplitMix) -> CBORValue {
        let choice = random.next() % 8
        switch (value.content, choice) {
        case (.unsigned, 0...3), (.negative, 0...3):
            return .integer(boundaries[Int(random.next() % UInt64(boundaries.count))])
        case (.byteString(let bytes), 0...5):
            // CBOR inside (a COSE header or payload): mutate an item of it; else the bytes themselves.
            if choice < 4, let inner = try? CBORParser.decode(bytes) {
                return .bytes(Array(mutating(inner, target: Int(random.next() % UInt64(itemCount(inner))), &random).encodedBytes))
            }
            return .bytes(mutatedBytes(bytes))
        case (.textString(let text), 0...5):
            return .text(String(decoding: mutatedBytes(Array(text.utf8)), as: UTF8.self))
        case (.array(let items), 0...5) where !items.isEmpty:
            return .array(rearranged(items, &random))
        case (.map(let entries), 0...5) where !entries.isEmpty:
            return .map(rearranged(entries, &random).map { ($0.key, $0.value) })
        default:
            // Another type altogether.
            let others: [CBORValue] = [
                CBORValue(.null), CBORValue(.bool(true)), .integer(-7), .text(""), .bytes([]), .array([]), .map([]),
                CBORValue(.float(.nan)), CBORValue(.tagged(18, value)), CBORValue(.tagged(1, .integer(1_660_000_000))),
            ]
            return others[Int(random.next() % UInt64(others.count))]
        }
    }

    /// One element dropped, repeated or moved.
    private static func rearranged<T>(_ items: [T], _ random: inout SplitMix) -> [T] {
        var items = items
        let index = Int(random.next() % UInt64(items.count))
        switch random.next() % 3 {
        case 0: items.remove(at: index)
        case 1: items.insert(items[index], at: index)
        default: items.swapAt(index, Int(random.next() % UInt64(items.count)))
        }
        return items
    }

    private static func mutatedBytes(_ bytes: [UInt8]) -> [UInt8] {
        var buffer = bytes + [UInt8](repeating: 0, count: 64)
        let size = buffer.withUnsafeMutableBufferPointer { libFuzzerMutate($0.baseAddress!, bytes.count, $0.count) }
        return Array(buffer.prefix(size))
    }

    private static func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int {
        LLVMFuzzerMutate(data, size, maxSize)
    }
}

/// A small deterministic generator: libFuzzer hands every mutation its seed, so a run can be replayed.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// libFuzzer's own byte mutations, for the parts that are not CBOR.
@_silgen_name("LLVMFuzzerMutate")
private func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int
