import JSON

/// Hostile expressions and data built in code: the JSON parser caps nesting at 64, so anything
/// deeper than that can only reach the engine this way (another parser, a future import path).
enum HostileInputs {
    /// `{"!": [{"!": [ … true … ]}]}`, `depth` operations deep (twice as deep in JSON levels).
    static func nestedNegations(_ depth: Int) -> JSONValue {
        var value: JSONValue = true
        for _ in 0..<depth { value = ["!": [value]] }
        return value
    }

    /// `[[[ … 1 … ]]]`, `depth` arrays deep.
    static func nestedArrays(_ depth: Int) -> JSONValue {
        var value: JSONValue = 1
        for _ in 0..<depth { value = [value] }
        return value
    }

    /// `{"and": [true, true, …]}` with `count` operands.
    static func wideAnd(_ count: Int) -> JSONValue {
        ["and": .array(Array(repeating: true, count: count))]
    }

    /// Releases a deep value one level at a time, so freeing it never recurses thousands of frames
    /// deep (that would be the test's own crash, not the engine's).
    static func dismantle(_ value: consuming JSONValue) {
        var current = value
        while true {
            switch current {
            case .array(let items) where items.count == 1:
                current = items[0]
            case .object(let object) where object.count == 1:
                current = object.values[0]
            default:
                return
            }
        }
    }
}
