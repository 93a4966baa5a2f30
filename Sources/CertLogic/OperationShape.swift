/// The operations CertLogic knows (other than `var`), with how many operands each takes.
enum OperationShape {
    case ifThenElse
    case strictEquality
    case and
    case integerComparison(ComparisonOperator)
    case dateTimeComparison(ComparisonOperator)
    case membership
    case addition
    case negation
    case plusTime
    case reduce
    case extractFromUVCI
    case dccDateOfBirth

    init?(_ name: String) {
        if let comparison = ComparisonOperator(integerOperator: name) {
            self = .integerComparison(comparison)
            return
        }
        if let comparison = ComparisonOperator(dateTimeOperator: name) {
            self = .dateTimeComparison(comparison)
            return
        }
        switch name {
        case "if": self = .ifThenElse
        case "===": self = .strictEquality
        case "and": self = .and
        case "in": self = .membership
        case "+": self = .addition
        case "!": self = .negation
        case "plusTime": self = .plusTime
        case "reduce": self = .reduce
        case "extractFromUVCI": self = .extractFromUVCI
        case "dccDateOfBirth": self = .dccDateOfBirth
        default: return nil
        }
    }

    var operandCounts: ClosedRange<Int> {
        switch self {
        case .ifThenElse, .plusTime, .reduce: 3...3
        case .strictEquality, .membership, .addition, .extractFromUVCI: 2...2
        case .and: 2...Int.max
        case .integerComparison, .dateTimeComparison: 2...3
        case .negation, .dccDateOfBirth: 1...1
        }
    }

    /// How `operandCounts` reads in an error message.
    var operandCountDescription: String {
        let counts = operandCounts
        if counts.upperBound == Int.max { return "at least \(counts.lowerBound)" }
        return counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) or \(counts.upperBound)"
    }

    /// The node for operations whose operands are all expressions, given the right number of them;
    /// nil for the operations with literal arguments, which the compiler builds itself.
    func node(_ operands: [Node]) -> Node? {
        guard operandCounts.contains(operands.count) else { return nil }
        return switch self {
        case .ifThenElse: .ifThenElse(guard: operands[0], then: operands[1], else: operands[2])
        case .strictEquality: .strictEquality(operands[0], operands[1])
        case .and: .and(operands)
        case .integerComparison(let comparison): .integerComparison(comparison, operands)
        case .dateTimeComparison(let comparison): .dateTimeComparison(comparison, operands)
        case .membership: .membership(operands[0], in: operands[1])
        case .addition: .addition(operands[0], operands[1])
        case .negation: .negation(operands[0])
        case .dccDateOfBirth: .dccDateOfBirth(operands[0])
        case .plusTime, .reduce, .extractFromUVCI: nil
        }
    }
}
