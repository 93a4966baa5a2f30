/// Two optional layouts on top of the compact writer, for files that must keep the bytes Foundation's
/// `JSONEncoder` gave them (a signed trust-bundle manifest, a hashed section) and for people reading JSON.
///
/// - Pretty: Foundation's `.prettyPrinted` layout exactly: two-space indent, `"name" : value`, one
///   element or member per line, and an empty array or object written as `[`, an empty line, `]`.
/// - Escaped slashes: every `/` written as `\/`, the optional escape RFC 8259 §7 allows and Foundation
///   emits unless told `.withoutEscapingSlashes`. Only for keeping existing bytes; new formats leave
///   slashes alone.
///
/// Strings, numbers and member order are written as by `append(_:)`.
extension JSONWriter {
    public static func bytes(_ value: JSONValue, memberOrder: MemberOrder = .asHeld, escapingSlashes: Bool) -> [UInt8] {
        let compact = bytes(value, memberOrder: memberOrder)
        return escapingSlashes ? slashesEscaped(compact) : compact
    }

    public static func string(_ value: JSONValue, memberOrder: MemberOrder = .asHeld, escapingSlashes: Bool) -> String {
        String(decoding: bytes(value, memberOrder: memberOrder, escapingSlashes: escapingSlashes), as: UTF8.self)
    }

    /// Indented text without a trailing newline.
    public static func prettyBytes(_ value: JSONValue, memberOrder: MemberOrder = .asHeld, escapingSlashes: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        appendPretty(value, memberOrder: memberOrder, level: 0, to: &output)
        return escapingSlashes ? slashesEscaped(output) : output
    }

    public static func prettyString(_ value: JSONValue, memberOrder: MemberOrder = .asHeld, escapingSlashes: Bool = false) -> String {
        String(decoding: prettyBytes(value, memberOrder: memberOrder, escapingSlashes: escapingSlashes), as: UTF8.self)
    }

    /// Recursion is bounded by the value's own nesting, which a parsed value has already had limited.
    private static func appendPretty(_ value: JSONValue, memberOrder: MemberOrder, level: Int, to output: inout [UInt8]) {
        let items: [(name: String?, value: JSONValue)]
        let brackets: (open: UInt8, close: UInt8)
        switch value {
        case .array(let elements):
            items = elements.map { (nil, $0) }
            brackets = (UInt8(ascii: "["), UInt8(ascii: "]"))
        case .object(let object):
            var order = Array(object.names.indices)
            if memberOrder == .sortedByUTF16 {
                order.sort { object.names[$0].utf16.lexicographicallyPrecedes(object.names[$1].utf16) }
            }
            items = order.map { (object.names[$0], object.values[$0]) }
            brackets = (UInt8(ascii: "{"), UInt8(ascii: "}"))
        default:
            output += bytes(value)
            return
        }
        output.append(brackets.open)
        output.append(UInt8(ascii: "\n"))
        if items.isEmpty { output.append(UInt8(ascii: "\n")) }
        for (index, item) in items.enumerated() {
            output += repeatElement(UInt8(ascii: " "), count: 2 * (level + 1))
            if let name = item.name {
                output += bytes(.string(name))
                output += Array(" : ".utf8)
            }
            appendPretty(item.value, memberOrder: memberOrder, level: level + 1, to: &output)
            if index < items.count - 1 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\n"))
        }
        output += repeatElement(UInt8(ascii: " "), count: 2 * level)
        output.append(brackets.close)
    }

    /// Exact on the writer's output: outside strings it never writes `/`, and no byte of a multi-byte
    /// UTF-8 sequence is 0x2F.
    private static func slashesEscaped(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        for byte in text {
            if byte == UInt8(ascii: "/") { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
        return output
    }
}
