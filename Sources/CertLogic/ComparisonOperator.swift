/// The order relations behind `<`, `>`, `<=`, `>=` and their date-time twins `before`, `after`,
/// `not-after`, `not-before`.
enum ComparisonOperator: Sendable {
    case less
    case greater
    case lessOrEqual
    case greaterOrEqual

    init?(integerOperator name: String) {
        switch name {
        case "<": self = .less
        case ">": self = .greater
        case "<=": self = .lessOrEqual
        case ">=": self = .greaterOrEqual
        default: return nil
        }
    }

    init?(dateTimeOperator name: String) {
        switch name {
        case "before": self = .less
        case "after": self = .greater
        case "not-after": self = .lessOrEqual
        case "not-before": self = .greaterOrEqual
        default: return nil
        }
    }

    func holds<T: Comparable>(_ left: T, _ right: T) -> Bool {
        switch self {
        case .less: left < right
        case .greater: left > right
        case .lessOrEqual: left <= right
        case .greaterOrEqual: left >= right
        }
    }

    /// The binary form, or the ternary "between" form: `a op b and b op c`.
    func holds<T: Comparable>(chain values: [T]) -> Bool {
        for index in values.indices.dropLast() where !holds(values[index], values[index + 1]) { return false }
        return true
    }
}
