/// The byte mutations every format's robustness tests apply, one at a time: bit flips, truncation, random
/// extension, a run overwritten with one value, a slice duplicated in place. Deterministic for a given generator.
public enum Mutation {
    public static func mutate(_ input: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        switch random.next() % 5 {
        case 0:  // flip 1–4 bits
            for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] ^= 1 << (random.next() % 8)
            }
        case 1:  // truncate
            bytes.removeLast(Int(random.next() % UInt64(bytes.count + 1)))
        case 2:  // extend with random bytes
            bytes += (0..<(1 + random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case 3:  // overwrite a run with one byte value (0x00, 0xFF or random)
            guard !bytes.isEmpty else { break }
            let start = Int(random.next() % UInt64(bytes.count))
            let length = min(bytes.count - start, 1 + Int(random.next() % 16))
            let value: UInt8 = [0x00, 0xFF, UInt8(truncatingIfNeeded: random.next())][Int(random.next() % 3)]
            for index in start..<(start + length) { bytes[index] = value }
        default:  // duplicate a slice in place
            guard bytes.count > 1 else { break }
            let start = Int(random.next() % UInt64(bytes.count))
            let end = min(bytes.count, start + 1 + Int(random.next() % 32))
            bytes.insert(contentsOf: bytes[start..<end], at: start)
        }
        return bytes
    }
}
