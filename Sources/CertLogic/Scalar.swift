import JSON

/// The values `===` and `in` compare: the spec calls equality reliable only on these. Arrays,
/// objects, date-times and non-integer numbers compare differently across the reference
/// implementations (reference vs. deep equality, 1 vs 1.0), so comparing them is an error.
enum Scalar: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)

    init?(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .string(let text): self = .string(text)
        case .number(let number):
            guard let integer = number.int64 else { return nil }
            self = .integer(integer)
        case .array, .object: return nil
        }
    }

    static func == (lhs: Scalar, rhs: Scalar) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.integer(let left), .integer(let right)): left == right
        case (.string(let left), .string(let right)): left.utf8.count == right.utf8.count && left.utf8.elementsEqual(right.utf8)
        default: false
        }
    }

    /// Extra evaluation steps comparing with `other` costs: strings of equal length are read in full.
    func comparisonCost(against other: Scalar) -> Int {
        guard case .string(let left) = self, case .string(let right) = other, left.utf8.count == right.utf8.count else { return 0 }
        return EvaluationCost.forBytes(left.utf8.count)
    }
}
