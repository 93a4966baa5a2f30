/// One JSON value (RFC 8259), the package's only JSON representation.
///
/// Objects keep their members in document order (duplicate names are refused when parsing), and
/// numbers keep the literal they were written with, so integers are never rounded through a Double
/// and `1`, `1.0` and `true` stay three different things.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

// MARK: - Convenience constructors

extension JSONValue {
    public static func integer(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
    public static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
    public static func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

// MARK: - Typed access (nil when the value has another type)

extension JSONValue {
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var number: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value as an exact integer: a number written without fraction or exponent that fits Int64.
    public var int64: Int64? { number?.int64 }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member `name` of an object; nil for other types and absent members.
    public subscript(name: String) -> JSONValue? { object?[name] }

    /// A short word for the value's type, for error messages ("object", "string", …).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter.string(self) }
}
