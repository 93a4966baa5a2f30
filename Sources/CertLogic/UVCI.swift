/// `extractFromUVCI`: fragment `index` of a UCI split on `/`, `#` and `:`, after dropping an optional
/// `URN:UVCI:` prefix; nil when there is no such fragment. The UCI's format is deliberately not checked.
enum UVCI {
    static let optionalPrefix = "URN:UVCI:"

    static func fragment(of uci: String, at index: Int64) -> String? {
        guard index >= 0 else { return nil }
        var bytes = Substring(uci).utf8[...]
        if bytes.starts(with: optionalPrefix.utf8) { bytes = bytes.dropFirst(optionalPrefix.utf8.count) }
        // The separators are ASCII, so splitting the UTF-8 never cuts a character.
        var remaining = index
        var start = bytes.startIndex
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let byte = bytes[position]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ":") {
                if remaining == 0 { return String(decoding: bytes[start..<position], as: UTF8.self) }
                remaining -= 1
                start = bytes.index(after: position)
            }
            position = bytes.index(after: position)
        }
        return remaining == 0 ? String(decoding: bytes[start..<bytes.endIndex], as: UTF8.self) : nil
    }
}
