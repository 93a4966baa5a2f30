/// Byte-level pattern checks for the gateway schema's regular expressions.
enum Pattern {
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `^[A-Z]{2}$`
    static func countryCode(_ text: String) -> Bool {
        let b = Array(text.utf8)
        return b.count == 2 && b.allSatisfy(isUpper)
    }

    /// `^[A-Z0-9]{0,5}$`
    static func region(_ text: String) -> Bool {
        let b = Array(text.utf8)
        return b.count <= 5 && b.allSatisfy { isUpper($0) || isDigit($0) }
    }

    /// `^(GR|VR|TR|RR|IR)-[A-Z]{2}-\d{4}$`
    static func identifier(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[2] == UInt8(ascii: "-"), b[5] == UInt8(ascii: "-") else { return false }
        let prefix = String(decoding: b[0..<2], as: UTF8.self)
        return ["GR", "VR", "TR", "RR", "IR"].contains(prefix) && b[3..<5].allSatisfy(isUpper) && b[6..<10].allSatisfy(isDigit)
    }

    /// `^([a-z]{2}|[a-z]{2}-[a-z]{2})$`
    static func language(_ text: String) -> Bool {
        let b = Array(text.utf8)
        if b.count == 2 { return b.allSatisfy(isLower) }
        return b.count == 5 && b[2] == UInt8(ascii: "-") && b[0..<2].allSatisfy(isLower) && b[3..<5].allSatisfy(isLower)
    }
}
