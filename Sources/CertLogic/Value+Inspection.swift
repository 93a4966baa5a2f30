import JSON

extension Value {
    /// A short word for the value's type, for error details.
    var typeName: String {
        switch self {
        case .json(let json): json.typeName
        case .dateTime: "date-time"
        case .array: "array"
        }
    }

    /// The number of items of an array value; nil for anything else.
    var arrayCount: Int? {
        switch self {
        case .json(.array(let items)): items.count
        case .array(let array): array.items.count
        default: nil
        }
    }

    /// Item `index` of an array value (callers stay below `arrayCount`); null otherwise.
    func arrayItem(at index: Int) -> Value {
        switch self {
        case .json(.array(let items)) where items.indices.contains(index): .json(items[index])
        case .array(let array) where array.items.indices.contains(index): array.items[index]
        default: .null
        }
    }

    /// How many values converting this one to JSON builds: a built array's size, else 0.
    var builtSize: Int {
        if case .array(let array) = self { return array.size }
        return 0
    }
}
