import JSON

/// Whether a value is truthy, falsy or neither: CertLogic's three-way truthiness. The spec makes the
/// two notions disjoint and leaves gaps (non-integer numbers, date-times) that must not be guessed at.
enum Boolsiness: Equatable {
    case truthy
    case falsy
    case neither

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .falsy
        case .bool(let flag): self = flag ? .truthy : .falsy
        case .string(let text): self = text.isEmpty ? .falsy : .truthy
        case .number(let number):
            // Only integers are truthy or falsy; 1.5, 1.0 and integers beyond Int64 are neither.
            guard let integer = number.int64 else {
                self = .neither
                return
            }
            self = integer == 0 ? .falsy : .truthy
        case .array(let items): self = items.isEmpty ? .falsy : .truthy
        case .object(let object): self = object.isEmpty ? .falsy : .truthy
        }
    }

    init(_ value: Value) {
        switch value {
        case .json(let json): self.init(json)
        case .dateTime: self = .neither
        case .array(let array): self = array.items.isEmpty ? .falsy : .truthy
        }
    }
}
