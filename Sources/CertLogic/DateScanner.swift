/// Reads ASCII digits and punctuation from a date string's UTF-8, front to back. `\d` in the
/// reference implementations' patterns is ASCII only, and so are these digits.
struct DateScanner {
    let text: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    var count: Int { bytes.count }
    var isAtEnd: Bool { position == bytes.count }

    func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The value of `count` ASCII digits starting at `index`, or nil if any is missing or not a digit.
    func digits(at index: Int, count: Int) -> Int64? {
        guard index >= 0, count <= bytes.count - index else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<(index + count)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Consumes `count` digits and returns their value; consumes nothing when they are not there.
    mutating func readDigits(_ count: Int) -> Int64? {
        guard let value = digits(at: position, count: count) else { return nil }
        position += count
        return value
    }

    /// Consumes `character` if it is next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }
}
