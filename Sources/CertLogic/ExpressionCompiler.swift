import JSON

/// Validates CertLogic JSON and turns it into a `Node` tree, following certlogic-js's format
/// validator, within `CertLogicLimits.maxDepth` and `maxNodes`. Recursion is depth-checked before
/// each step, so a hostile nesting fails with `limit-exceeded` instead of exhausting the stack.
struct ExpressionCompiler {
    let limits: CertLogicLimits
    private var nodeCount = 0
    /// `var` paths read from the top-level data, first occurrence first.
    private(set) var dataPaths: [String] = []
    private var seenDataPaths: Set<String> = []
    /// How many `reduce` lambdas enclose the expression being compiled.
    private var lambdaNesting = 0

    init(limits: CertLogicLimits) {
        self.limits = limits
    }

    mutating func compile(_ json: JSONValue) throws(CertLogicError) -> Node {
        try compile(json, depth: 0)
    }

    /// Counts one JSON value at `depth` against the limits.
    private mutating func visit(depth: Int) throws(CertLogicError) {
        guard depth <= limits.effectiveMaxDepth else {
            throw CertLogicError(.limitExceeded, "expression nests deeper than \(limits.effectiveMaxDepth)")
        }
        nodeCount += 1
        guard nodeCount <= limits.maxNodes else {
            throw CertLogicError(.limitExceeded, "expression has more than \(limits.maxNodes) values")
        }
    }

    private mutating func compile(_ json: JSONValue, depth: Int) throws(CertLogicError) -> Node {
        try visit(depth: depth)
        switch json {
        case .bool, .string:
            return .literal(json)
        case .number(let number):
            guard number.int64 != nil else { throw Self.notAnInteger(number) }
            return .literal(json)
        case .null:
            throw Self.invalid("null is not a CertLogic expression")
        case .array(let items):
            return try compileArray(items, depth: depth + 1)
        case .object(let object):
            guard object.count == 1, let name = object.names.first, let argument = object.values.first else {
                throw Self.notOneKey(object.count)
            }
            return try compileOperation(name, argument, depth: depth)
        }
    }

    /// An array literal; one whose items are all literals is itself a literal, evaluated for free.
    private mutating func compileArray(_ items: [JSONValue], depth: Int) throws(CertLogicError) -> Node {
        let nodes = try compile(items, depth: depth)
        var values: [JSONValue] = []
        values.reserveCapacity(nodes.count)
        for node in nodes {
            guard case .literal(let value) = node else { return .array(nodes) }
            values.append(value)
        }
        return .literal(.array(values))
    }

    private mutating func compile(_ items: [JSONValue], depth: Int) throws(CertLogicError) -> [Node] {
        var nodes: [Node] = []
        nodes.reserveCapacity(items.count)
        for item in items { nodes.append(try compile(item, depth: depth)) }
        return nodes
    }

    /// `{ "<operator>": [ <operands…> ] }` (or `{ "var": "<path>" }`) at `depth`.
    private mutating func compileOperation(_ name: String, _ argument: JSONValue, depth: Int) throws(CertLogicError) -> Node {
        try visit(depth: depth + 1)
        if name == "var" { return try compileVariable(argument) }
        guard case .array(let operands) = argument else { throw Self.notAnOperation(name) }
        guard let shape = OperationShape(name) else { throw Self.unknownOperator(name) }
        guard shape.operandCounts.contains(operands.count) else { throw Self.wrongOperandCount(name, shape, operands.count) }
        switch shape {
        case .plusTime: return try compilePlusTime(operands, depth: depth + 2)
        case .extractFromUVCI: return try compileExtractFromUVCI(operands, depth: depth + 2)
        case .reduce: return try compileReduce(operands, depth: depth + 2)
        default: return try compileExpressionOperands(shape, operands, depth: depth + 2)
        }
    }

    /// Operations whose operands are all expressions.
    private mutating func compileExpressionOperands(
        _ shape: OperationShape, _ operands: [JSONValue], depth: Int
    ) throws(CertLogicError) -> Node {
        guard let node = shape.node(try compile(operands, depth: depth)) else { throw Self.invalid("malformed operation") }
        return node
    }

    /// `plusTime`: an expression, then an integer literal amount and a literal unit.
    private mutating func compilePlusTime(_ operands: [JSONValue], depth: Int) throws(CertLogicError) -> Node {
        guard operands.count == 3 else { throw Self.invalid(#""plusTime" takes 3 operands"#) }
        let operand = try compile(operands[0], depth: depth)
        try visit(depth: depth)
        try visit(depth: depth)
        guard let amount = operands[1].int64 else { throw Self.invalid(#""plusTime" amount must be an integer literal"#) }
        guard let unitName = operands[2].string, let unit = TimeUnit(rawValue: unitName) else {
            throw Self.invalid(#""plusTime" unit must be one of "year", "month", "day", "hour""#)
        }
        return .plusTime(operand, amount: amount, unit: unit)
    }

    /// `extractFromUVCI`: an expression, then an integer literal index.
    private mutating func compileExtractFromUVCI(_ operands: [JSONValue], depth: Int) throws(CertLogicError) -> Node {
        guard operands.count == 2 else { throw Self.invalid(#""extractFromUVCI" takes 2 operands"#) }
        let operand = try compile(operands[0], depth: depth)
        try visit(depth: depth)
        guard let index = operands[1].int64 else { throw Self.invalid(#""extractFromUVCI" index must be an integer literal"#) }
        return .extractFromUVCI(operand, index: index)
    }

    /// `reduce`: the lambda's `var`s read its own context, so they are not top-level data paths.
    private mutating func compileReduce(_ operands: [JSONValue], depth: Int) throws(CertLogicError) -> Node {
        guard operands.count == 3 else { throw Self.invalid(#""reduce" takes 3 operands"#) }
        let operand = try compile(operands[0], depth: depth)
        lambdaNesting += 1
        let lambda = try compile(operands[1], depth: depth)
        lambdaNesting -= 1
        let initial = try compile(operands[2], depth: depth)
        return .reduce(operand: operand, lambda: lambda, initial: initial)
    }

    private mutating func compileVariable(_ argument: JSONValue) throws(CertLogicError) -> Node {
        guard case .string(let text) = argument else { throw Self.invalid(#"not of the form { "var": "<path>" }"#) }
        guard let path = DataPath(text) else { throw Self.invalidPath(text) }
        if lambdaNesting == 0, seenDataPaths.insert(text).inserted { dataPaths.append(text) }
        return .variable(path)
    }

    // Errors are made out of line, keeping the recursive methods' stack frames small.

    private static func invalid(_ detail: String) -> CertLogicError {
        CertLogicError(.invalidExpression, detail)
    }

    @inline(never)
    private static func notAnInteger(_ number: JSONNumber) -> CertLogicError {
        invalid("\(number.literal.prefix(40)) is not an integer within 64 bits")
    }

    @inline(never)
    private static func notOneKey(_ count: Int) -> CertLogicError {
        invalid("an expression object must have exactly one key, but it has \(count)")
    }

    @inline(never)
    private static func notAnOperation(_ name: String) -> CertLogicError {
        invalid(#"operation "\#(name.prefix(40))" not of the form { "<operator>": [ <values...> ] }"#)
    }

    @inline(never)
    private static func unknownOperator(_ name: String) -> CertLogicError {
        invalid(#"unrecognised operator "\#(name.prefix(40))""#)
    }

    @inline(never)
    private static func wrongOperandCount(_ name: String, _ shape: OperationShape, _ count: Int) -> CertLogicError {
        invalid(#""\#(name)" takes \#(shape.operandCountDescription) operands, not \#(count)"#)
    }

    @inline(never)
    private static func invalidPath(_ text: String) -> CertLogicError {
        invalid("data access path doesn't have a valid format: \(text.prefix(80))")
    }
}
