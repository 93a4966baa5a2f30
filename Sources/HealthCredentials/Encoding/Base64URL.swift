/// RFC 4648 §5 base64url, as JOSE, JWKs and ICAO seals write it.
///
/// Strict: only the URL-safe alphabet, no whitespace, and unused trailing bits must be zero, so one value has
/// one spelling. `=` padding is refused unless `allowingPadding` (ICAO seals pad their `sigvl`; JOSE never does).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func decode(_ text: some StringProtocol, allowingPadding: Bool = false) throws(CredentialError) -> [UInt8] {
        try decode(Array(text.utf8), allowingPadding: allowingPadding)
    }

    public static func decode(_ input: [UInt8], allowingPadding: Bool = false) throws(CredentialError) -> [UInt8] {
        var characters = input[...]
        if allowingPadding, input.count % 4 == 0 {
            let padding = input.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2 else { throw CredentialError(.badBase64URL, "more than two padding characters") }
            characters = input.dropLast(padding)
        }
        guard characters.count % 4 != 1 else { throw CredentialError(.badBase64URL, "length \(input.count) is not a base64url length") }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = values[Int(character)]
            guard value != 0xFF else { throw CredentialError(.badBase64URL, "character outside the base64url alphabet") }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else {
            throw CredentialError(.badBase64URL, "unused trailing bits are not zero")
        }
        return output
    }

    /// Unpadded base64url.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int(accumulator >> UInt32(bits) & 0x3F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int(accumulator << UInt32(6 - bits) & 0x3F)]) }
        return String(decoding: output, as: UTF8.self)
    }
}
