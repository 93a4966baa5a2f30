import JSON

/// Evaluates a validated `Node` tree once, counting steps (see `EvaluationCost`) against
/// `CertLogicLimits.maxEvaluationSteps`. Recursion follows the tree, whose depth validation bounded;
/// loops only happen in `reduce`, which the length and step limits bound. Each operation lives in
/// its own method so the recursive `evaluate` keeps a small stack frame, even in debug builds.
struct Evaluator {
    let limits: CertLogicLimits
    private var steps = 0

    init(limits: CertLogicLimits) {
        self.limits = limits
    }

    /// Spends `units` steps, failing once the budget is gone.
    mutating func charge(_ units: Int) throws(CertLogicError) {
        let (total, overflow) = steps.addingReportingOverflow(units)
        steps = total
        guard !overflow, total <= limits.maxEvaluationSteps else {
            throw CertLogicError(.limitExceeded, "evaluation takes more than \(limits.maxEvaluationSteps) steps")
        }
    }

    mutating func evaluate(_ node: Node, in scope: Scope) throws(CertLogicError) -> Value {
        try charge(1)
        switch node {
        case .literal(let value): return .json(value)
        case .array(let items): return try evaluateArray(items, in: scope)
        case .variable(let path): return try evaluateVariable(path, in: scope)
        case .ifThenElse(let guardNode, let thenNode, let elseNode): return try evaluateIf(guardNode, thenNode, elseNode, in: scope)
        case .strictEquality(let left, let right): return try evaluateStrictEquality(left, right, in: scope)
        case .and(let operands): return try evaluateAnd(operands, in: scope)
        case .integerComparison(let comparison, let operands): return try evaluateIntegerComparison(comparison, operands, in: scope)
        case .dateTimeComparison(let comparison, let operands): return try evaluateDateTimeComparison(comparison, operands, in: scope)
        case .membership(let needle, let haystack): return try evaluateMembership(needle, haystack, in: scope)
        case .addition(let left, let right): return try evaluateAddition(left, right, in: scope)
        case .negation(let operand): return try evaluateNegation(operand, in: scope)
        case .plusTime(let operand, let amount, let unit): return try evaluatePlusTime(operand, amount, unit, in: scope)
        case .reduce(let operand, let lambda, let initial): return try evaluateReduce(operand, lambda, initial, in: scope)
        case .extractFromUVCI(let operand, let index): return try evaluateExtractFromUVCI(operand, index, in: scope)
        case .dccDateOfBirth(let operand): return try evaluateDateOfBirth(operand, in: scope)
        }
    }

    /// Every operand, in order (comparisons evaluate all before checking types, as certlogic-js does).
    mutating func evaluate(_ operands: [Node], in scope: Scope) throws(CertLogicError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(operands.count)
        for operand in operands { values.append(try evaluate(operand, in: scope)) }
        return values
    }

    static func mismatch(_ detail: String) -> CertLogicError {
        CertLogicError(.typeMismatch, detail)
    }
}
