import CertLogic
import JSON
import Testing

/// Attacker-shaped rules and data: each is refused at validation or throws `limit-exceeded` while
/// evaluating; nothing may crash, hang or take unbounded memory.
@Suite struct HostileExpressionTests {
    static let limitExceeded = CertLogicError(.limitExceeded, "")

    @Test func nestingTenThousandDeepIsRefused() {
        let negations = HostileInputs.nestedNegations(10_000)
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: negations) }
        // A caller asking for more depth than is safe still gets the hard ceiling.
        let unbounded = CertLogicLimits(maxDepth: .max, maxNodes: .max)
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: negations, limits: unbounded) }
        HostileInputs.dismantle(negations)

        let arrays = HostileInputs.nestedArrays(10_000)
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: arrays) }
        HostileInputs.dismantle(arrays)
    }

    @Test func depthLimitIsExact() throws {
        // Each negation adds two JSON levels (object and operand array); `true` sits at level 2n.
        let limits = CertLogicLimits(maxDepth: 20)
        let atLimit = try CertLogicExpression(validating: HostileInputs.nestedNegations(10), limits: limits)
        #expect(try atLimit.evaluate(.null) == true)
        #expect(throws: Self.limitExceeded) {
            _ = try CertLogicExpression(validating: HostileInputs.nestedNegations(11), limits: limits)
        }
        let defaultDepth = try CertLogicExpression(validating: HostileInputs.nestedNegations(32))
        #expect(try defaultDepth.evaluate(.null) == true)
    }

    @Test func hundredThousandNodesAreRefused() {
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: HostileInputs.wideAnd(100_000)) }
        let literals = JSONValue.array(Array(repeating: "x", count: 100_000))
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: literals) }
        let operations = JSONValue.array(Array(repeating: ["var": "x"], count: 100_000))
        #expect(throws: Self.limitExceeded) { _ = try CertLogicExpression(validating: operations) }
    }

    @Test func hundredThousandNodesAllowedStillStopAtTheStepLimit() throws {
        let expression = try CertLogicExpression(validating: HostileInputs.wideAnd(100_000), limits: CertLogicLimits(maxNodes: 1_000_000))
        #expect(throws: Self.limitExceeded) { _ = try expression.evaluate(.null) }
        #expect(try expression.evaluate(.null, limits: CertLogicLimits(maxEvaluationSteps: 200_000)) == true)
    }

    static let sum: JSONValue = ["reduce": [["var": "xs"], ["+": [["var": "accumulator"], ["var": "current"]]], 0]]

    @Test func reduceOverAMillionItemsIsRefused() throws {
        let expression = try CertLogicExpression(validating: Self.sum)
        let data: JSONValue = ["xs": .array(Array(repeating: 1, count: 1_000_000))]
        #expect(throws: Self.limitExceeded) { _ = try expression.evaluate(data) }
        // Lifting the length limit leaves the step limit.
        let longReduce = CertLogicLimits(maxReduceLength: 2_000_000)
        #expect(throws: Self.limitExceeded) { _ = try expression.evaluate(data, limits: longReduce) }
        // Within both limits it really sums.
        let small: JSONValue = ["xs": .array((1...100).map { .integer($0) })]
        #expect(try expression.evaluate(small) == 5050)
    }

    @Test func nestedReducesStopAtTheStepLimit() throws {
        // For every item, fold over the whole array again: 10 000 × 10 000 steps without the limit.
        let items = JSONValue.array(Array(repeating: 1, count: 10_000))
        let inner: JSONValue = ["reduce": [["var": "current"], ["+": [["var": "accumulator"], 1]], 0]]
        let outer: JSONValue = ["reduce": [["var": "xss"], ["+": [["var": "accumulator"], inner]], 0]]
        let expression = try CertLogicExpression(validating: outer)
        let data: JSONValue = ["xss": .array(Array(repeating: items, count: 10_000))]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(throws: Self.limitExceeded) { _ = try expression.evaluate(data) }
        }
        #expect(elapsed < .seconds(60), "no hang: the step limit stops it")
    }

    @Test func accumulatorsCannotGrowWithoutBound() throws {
        let ones: JSONValue = ["xs": .array(Array(repeating: 1, count: 1_000))]
        // Doubling: [acc, acc] shares storage, but its logical size is 2^n.
        let doubling = try CertLogicExpression(validating: ["reduce": [["var": "xs"], [["var": "accumulator"], ["var": "accumulator"]], 0]])
        #expect(throws: Self.limitExceeded) { _ = try doubling.evaluate(ones) }
        // Wrapping: [acc] nests one level deeper per item.
        let wrapping = try CertLogicExpression(validating: ["reduce": [["var": "xs"], [["var": "accumulator"]], 0]])
        #expect(throws: Self.limitExceeded) { _ = try wrapping.evaluate(ones) }
        // A few levels are fine and come back as JSON.
        let three: JSONValue = ["xs": [1, 2, 3]]
        #expect(try wrapping.evaluate(three) == [[[0]]])
    }

    @Test func hugeDataIsOnlyReadNotCopied() throws {
        let expression = try CertLogicExpression(validating: ["in": ["needle", ["var": "haystack"]]])
        let haystack = JSONValue.array(Array(repeating: "hay", count: 1_000_000) + ["needle"])
        #expect(try expression.evaluate(["haystack": haystack]) == true)
    }
}
