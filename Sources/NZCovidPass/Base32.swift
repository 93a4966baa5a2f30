import HealthCredentials

/// RFC 4648 §6 base32, as NZCP uses it: upper-case alphabet `A–Z2–7`, no padding in the QR (it is re-added
/// here by length), and strict: a character outside the alphabet, a length no padding could complete, or
/// non-zero bits left over after the last byte are refused.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Characters that end a group of 8 with these many left over can complete a byte: 2 → 1 byte, 4 → 2, 5 → 3, 7 → 4.
    static let bytesForRemainder: [Int: Int] = [0: 0, 2: 1, 4: 2, 5: 3, 7: 4]

    public static func decode(_ text: some Collection<UInt8>) throws(CredentialError) -> [UInt8] {
        guard let tailBytes = bytesForRemainder[text.count % 8] else {
            throw CredentialError(.badBase32, "\(text.count) characters cannot be unpadded base32")
        }
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 8 * 5 + tailBytes)
        var buffer: UInt64 = 0
        var bits = 0
        for character in text {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
            default: throw CredentialError(.badBase32, "a character outside the base32 alphabet")
            }
            buffer = (buffer << 5) | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
                buffer &= (1 << UInt64(bits)) - 1
            }
        }
        guard buffer == 0 else { throw CredentialError(.badBase32, "non-zero bits after the last byte") }
        return output
    }

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt64(bits)) & 0x1F)])
            }
            buffer &= (1 << UInt64(bits)) - 1
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt64(5 - bits)) & 0x1F)]) }
        return String(decoding: output, as: UTF8.self)
    }
}
