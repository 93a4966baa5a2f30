import JSON

extension Evaluator {
    /// An array literal with operations in it: the array of its items' values.
    mutating func evaluateArray(_ items: [Node], in scope: Scope) throws(CertLogicError) -> Value {
        .array(try BuiltArray(try evaluate(items, in: scope), limits: limits))
    }

    /// `var`: charges for the members and items stepped over on the way.
    mutating func evaluateVariable(_ path: DataPath, in scope: Scope) throws(CertLogicError) -> Value {
        var work = 0
        let value = scope.resolve(path, work: &work)
        try charge(EvaluationCost.forItems(work))
        return value
    }

    /// `if`: the guard must be truthy or falsy; only the branch it picks is evaluated.
    mutating func evaluateIf(_ guardNode: Node, _ thenNode: Node, _ elseNode: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let guardValue = try evaluate(guardNode, in: scope)
        switch Boolsiness(guardValue) {
        case .truthy: return try evaluate(thenNode, in: scope)
        case .falsy: return try evaluate(elseNode, in: scope)
        case .neither: throw Self.mismatch("an if-guard must be truthy or falsy, not \(guardValue.typeName)")
        }
    }

    /// `!`: the operand must be truthy or falsy.
    mutating func evaluateNegation(_ operand: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let value = try evaluate(operand, in: scope)
        switch Boolsiness(value) {
        case .truthy: return .false
        case .falsy: return .true
        case .neither: throw Self.mismatch("! takes something truthy or falsy, not \(value.typeName)")
        }
    }

    /// `<`, `>`, `<=`, `>=` on two or three integers.
    mutating func evaluateIntegerComparison(
        _ comparison: ComparisonOperator, _ operands: [Node], in scope: Scope
    ) throws(CertLogicError) -> Value {
        var integers: [Int64] = []
        integers.reserveCapacity(operands.count)
        for value in try evaluate(operands, in: scope) {
            guard case .json(.number(let number)) = value, let integer = number.int64 else {
                throw Self.mismatch("integer comparisons take integers, not \(value.typeName)")
            }
            integers.append(integer)
        }
        return .bool(comparison.holds(chain: integers))
    }

    /// `+` on two integers, refusing overflow.
    mutating func evaluateAddition(_ left: Node, _ right: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let leftValue = try evaluate(left, in: scope)
        let rightValue = try evaluate(right, in: scope)
        guard case .json(.number(let leftNumber)) = leftValue, let leftInteger = leftNumber.int64,
            case .json(.number(let rightNumber)) = rightValue, let rightInteger = rightNumber.int64
        else { throw Self.mismatch("+ adds integers, not \(leftValue.typeName) and \(rightValue.typeName)") }
        let (sum, overflow) = leftInteger.addingReportingOverflow(rightInteger)
        guard !overflow else { throw CertLogicError(.outOfRange, "+ overflows 64-bit integers") }
        return .json(.integer(sum))
    }

    /// `===`: equal scalars of the same type; anything else cannot be compared reliably and is an error.
    mutating func evaluateStrictEquality(_ left: Node, _ right: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let leftValue = try evaluate(left, in: scope)
        let rightValue = try evaluate(right, in: scope)
        guard let leftScalar = leftValue.scalar, let rightScalar = rightValue.scalar else {
            throw Self.mismatch("=== compares null, booleans, integers and strings, not \(leftValue.typeName) and \(rightValue.typeName)")
        }
        try charge(leftScalar.comparisonCost(against: rightScalar))
        return .bool(leftScalar == rightScalar)
    }

    /// The first falsy operand, else the last; stops at the first falsy one. Every operand evaluated
    /// must be truthy or falsy.
    mutating func evaluateAnd(_ operands: [Node], in scope: Scope) throws(CertLogicError) -> Value {
        var last = Value.true
        for operand in operands {
            last = try evaluate(operand, in: scope)
            switch Boolsiness(last) {
            case .truthy: continue
            case .falsy: return last
            case .neither: throw Self.mismatch("and takes operands that are truthy or falsy, not \(last.typeName)")
            }
        }
        return last
    }

    /// `in`: whether the needle (a scalar) equals an item of the haystack (an array, possibly empty).
    /// Charges for the items and string bytes compared, so huge arrays cannot be scanned for free.
    mutating func evaluateMembership(_ needle: Node, _ haystack: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let needleValue = try evaluate(needle, in: scope)
        let haystackValue = try evaluate(haystack, in: scope)
        guard let scalar = needleValue.scalar else {
            throw Self.mismatch("in looks for null, a boolean, an integer or a string, not \(needleValue.typeName)")
        }
        var scanned = 0
        var work = 0
        var found = false
        switch haystackValue {
        case .json(.array(let items)):
            for item in items {
                scanned += 1
                guard let candidate = Scalar(item) else { continue }
                work += candidate.comparisonCost(against: scalar)
                if candidate == scalar {
                    found = true
                    break
                }
            }
        case .array(let array):
            // Date-times and nested arrays in a built array never match.
            for item in array.items {
                scanned += 1
                guard let candidate = item.scalar else { continue }
                work += candidate.comparisonCost(against: scalar)
                if candidate == scalar {
                    found = true
                    break
                }
            }
        default:
            throw Self.mismatch("in looks in an array, not \(haystackValue.typeName)")
        }
        try charge(EvaluationCost.forItems(scanned) + work)
        return .bool(found)
    }

    /// A left fold of the lambda over the operand's items, starting from `initial`; a `null` operand
    /// folds nothing (certlogic-js behaviour).
    mutating func evaluateReduce(_ operand: Node, _ lambda: Node, _ initial: Node, in scope: Scope) throws(CertLogicError) -> Value {
        let operandValue = try evaluate(operand, in: scope)
        if case .json(.null) = operandValue { return try evaluate(initial, in: scope) }
        guard let count = operandValue.arrayCount else {
            throw Self.mismatch("reduce folds an array or null, not \(operandValue.typeName)")
        }
        guard count <= limits.maxReduceLength else {
            throw CertLogicError(.limitExceeded, "reduce over \(count) items, more than \(limits.maxReduceLength)")
        }
        var accumulator = try evaluate(initial, in: scope)
        for index in 0..<count {
            try charge(1)
            let current = operandValue.arrayItem(at: index)
            accumulator = try evaluate(lambda, in: .lambda(current: current, accumulator: accumulator))
        }
        return accumulator
    }
}
