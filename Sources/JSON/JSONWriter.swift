/// Writes JSON text: compact (no insignificant whitespace), members in the order held or sorted.
///
/// Strings use the shortest escapes (`\"`, `\\`, `\b \f \n \r \t`, else `\u00xx` for control
/// characters) and everything else as UTF-8, which is also what RFC 8785 (JCS) prescribes; sorted
/// output is the start of JCS, whose member order is by UTF-16 code units.
public struct JSONWriter: Sendable {
    public enum MemberOrder: Sendable {
        /// As the object holds them (document order for parsed values).
        case asHeld
        /// By UTF-16 code units, as RFC 8785 orders them.
        case sortedByUTF16
    }

    public var memberOrder: MemberOrder
    public private(set) var bytes: [UInt8] = []

    public init(memberOrder: MemberOrder = .asHeld) {
        self.memberOrder = memberOrder
    }

    public static func string(_ value: JSONValue, memberOrder: MemberOrder = .asHeld) -> String {
        var writer = JSONWriter(memberOrder: memberOrder)
        writer.append(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public static func bytes(_ value: JSONValue, memberOrder: MemberOrder = .asHeld) -> [UInt8] {
        var writer = JSONWriter(memberOrder: memberOrder)
        writer.append(value)
        return writer.bytes
    }

    public mutating func append(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): bytes.append(contentsOf: number.literal.utf8)
        case .string(let text): appendString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                append(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var order = Array(object.names.indices)
            if memberOrder == .sortedByUTF16 {
                order.sort { object.names[$0].utf16.lexicographicallyPrecedes(object.names[$1].utf16) }
            }
            for (position, index) in order.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(object.names[index])
                bytes.append(UInt8(ascii: ":"))
                append(object.values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A quoted, escaped string.
    public mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
