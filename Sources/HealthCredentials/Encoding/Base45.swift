/// Base45 decoding, RFC 9285.
public enum Base45 {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    /// Character value by ASCII code; -1 for characters outside the alphabet.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// Decodes strictly: lowercase letters and any other character outside the alphabet, a length
    /// that leaves one character over, and triplets above 65535 (or pairs above 255) are errors.
    public static func decode(_ text: some Collection<UInt8>) throws(CredentialError) -> [UInt8] {
        try decode(ArraySlice(text))
    }

    /// The concrete entry point the verifier uses: no generic dispatch on the hot path.
    public static func decode(_ characters: ArraySlice<UInt8>) throws(CredentialError) -> [UInt8] {
        guard characters.count % 3 != 1 else {
            throw CredentialError(.badBase45, "length \(characters.count) leaves a single character over")
        }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 3 * 2 + 1)
        var index = 0
        while index < characters.count {
            let groupSize = min(3, characters.count - index)
            var value = 0
            for offset in stride(from: groupSize - 1, through: 0, by: -1) {
                let digit = values[Int(characters[characters.startIndex + index + offset])]
                guard digit >= 0 else {
                    throw CredentialError(.badBase45, "character at offset \(index + offset) is not Base45")
                }
                value = value * 45 + Int(digit)
            }
            if groupSize == 3 {
                guard value <= 0xFFFF else {
                    throw CredentialError(.badBase45, "triplet at offset \(index) decodes to \(value) > 65535")
                }
                output.append(UInt8(value >> 8))
                output.append(UInt8(value & 0xFF))
            } else {
                guard value <= 0xFF else {
                    throw CredentialError(.badBase45, "final pair decodes to \(value) > 255")
                }
                output.append(UInt8(value))
            }
            index += groupSize
        }
        return output
    }

    /// Encodes bytes (used to build test credentials).
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        var index = 0
        while index + 1 < input.count {
            var value = Int(input[index]) << 8 | Int(input[index + 1])
            for _ in 0..<3 {
                output.append(alphabet[value % 45])
                value /= 45
            }
            index += 2
        }
        if index < input.count {
            var value = Int(input[index])
            for _ in 0..<2 {
                output.append(alphabet[value % 45])
                value /= 45
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
