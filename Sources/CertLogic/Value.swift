import JSON

/// A value during evaluation: JSON from the data or the expression, or what only operations make —
/// date-times, and arrays that hold them or were built from operands.
enum Value: Sendable {
    case json(JSONValue)
    case dateTime(DateTime)
    case array(BuiltArray)

    static let null = Value.json(.null)
    static let `true` = Value.json(.bool(true))
    static let `false` = Value.json(.bool(false))

    static func bool(_ flag: Bool) -> Value { flag ? .true : .false }

    /// The value as JSON, as `JSON.stringify` would write it: a date-time becomes its ISO 8601 text.
    /// Cost is bounded by the built array's `size`, which evaluation caps.
    var jsonValue: JSONValue {
        switch self {
        case .json(let json): json
        case .dateTime(let dateTime): .string(dateTime.iso8601)
        case .array(let array): .array(array.items.map(\.jsonValue))
        }
    }

    /// The scalar a strict equality may compare, or nil for values `===` cannot compare reliably.
    var scalar: Scalar? {
        guard case .json(let json) = self else { return nil }
        return Scalar(json)
    }
}
