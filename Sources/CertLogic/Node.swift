import JSON

/// A validated CertLogic expression: built once by `ExpressionCompiler`, so evaluation never
/// re-checks shapes, operand counts or literal arguments.
indirect enum Node: Sendable {
    /// A boolean, integer or string literal, or an array literal with no operations in it.
    case literal(JSONValue)
    /// An array literal with operations in it: evaluates to the array of its items' values.
    case array([Node])
    case variable(DataPath)
    case ifThenElse(guard: Node, then: Node, else: Node)
    case strictEquality(Node, Node)
    /// Two or more operands, evaluated lazily.
    case and([Node])
    /// Two or three integer operands.
    case integerComparison(ComparisonOperator, [Node])
    /// Two or three date-time operands.
    case dateTimeComparison(ComparisonOperator, [Node])
    case membership(Node, in: Node)
    case addition(Node, Node)
    case negation(Node)
    case plusTime(Node, amount: Int64, unit: TimeUnit)
    case reduce(operand: Node, lambda: Node, initial: Node)
    case extractFromUVCI(Node, index: Int64)
    case dccDateOfBirth(Node)
}
