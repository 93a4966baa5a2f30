import CertLogic
import JSON
import Testing

/// Rules that turn big data (value sets and parameters also come off the USB stick) into lots of
/// work: each loop costs steps in proportion to the data it reads, so they all stop at the step
/// limit in bounded time instead of running for minutes.
@Suite struct HostileDataTests {
    static let limitExceeded = CertLogicError(.limitExceeded, "")

    /// `{"reduce": [{"var": "xs"}, lambda, initial]}` over `count` items.
    static func reduce(_ count: Int, lambda: JSONValue, initial: JSONValue) throws -> (CertLogicExpression, JSONValue) {
        let expression = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, initial]])
        return (expression, ["xs": .array(Array(repeating: 1, count: count))])
    }

    /// Evaluates and expects the step limit, well within `seconds`.
    static func expectStepLimit(_ expression: CertLogicExpression, _ data: JSONValue, seconds: Int = 60) {
        let elapsed = ContinuousClock().measure {
            #expect(throws: Self.limitExceeded) { _ = try expression.evaluate(data) }
        }
        #expect(elapsed < .seconds(seconds), "took \(elapsed)")
    }

    @Test func scanningAHugeArrayOnEveryItemStops() throws {
        // The accumulator is a million-item array that `in` scans on each of 10 000 items.
        let lambda: JSONValue = ["if": [["in": ["needle", ["var": "accumulator"]]], ["var": "accumulator"], ["var": "accumulator"]]]
        let expression = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, ["var": "hay"]]])
        let data: JSONValue = ["xs": .array(Array(repeating: 1, count: 10_000)), "hay": .array(Array(repeating: "hay", count: 1_000_000))]
        Self.expectStepLimit(expression, data)
    }

    @Test func lookingUpInAHugeObjectOnEveryItemStops() throws {
        // 100 000 members with names of one length, the one looked up last.
        // Parsed, not built member by member (JSONObject's initializer checks names one by one).
        let members = (0..<100_000).map { "\"\(String(format6: $0))\":1" }.joined(separator: ",")
        let big = try JSONParser.parse("{" + members + "}")
        let lambda: JSONValue = ["if": [["var": "accumulator.999999"], ["var": "accumulator"], ["var": "accumulator"]]]
        let expression = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, ["var": "big"]]])
        Self.expectStepLimit(expression, ["xs": .array(Array(repeating: 1, count: 10_000)), "big": big])
    }

    @Test func comparingHugeStringsOnEveryItemStops() throws {
        let huge = JSONValue.string(String(repeating: "a", count: 1 << 20))
        let lambda: JSONValue = ["if": [["===": [["var": "accumulator"], ["var": "accumulator"]]], ["var": "accumulator"], 0]]
        let expression = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, ["var": "s"]]])
        Self.expectStepLimit(expression, ["xs": .array(Array(repeating: 1, count: 10_000)), "s": huge])
        // So does `in` with a huge needle against equally long items.
        let membership: JSONValue = ["if": [["in": [["var": "accumulator"], [["var": "accumulator"]]]], ["var": "accumulator"], 0]]
        let scan = try CertLogicExpression(validating: ["reduce": [["var": "xs"], membership, ["var": "s"]]])
        Self.expectStepLimit(scan, ["xs": .array(Array(repeating: 1, count: 10_000)), "s": huge])
    }

    @Test func parsingHugeStringsOnEveryItemStops() throws {
        // "Any number of decimals" is allowed, so a megabyte of them is a valid date-time.
        let date = JSONValue.string("2021-01-01T00:00:00." + String(repeating: "9", count: 1 << 20) + "Z")
        let single = try CertLogicExpression(validating: ["plusTime": [["var": "d"], 0, "day"]])
        #expect(try single.evaluate(["d": date]) == "2021-01-01T00:00:00.999Z")
        let parsed: JSONValue = ["plusTime": [["var": "accumulator"], 0, "day"]]
        let lambda: JSONValue = ["if": [["not-after": [parsed, parsed]], ["var": "accumulator"], 0]]
        let parsing = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, ["var": "d"]]])
        Self.expectStepLimit(parsing, ["xs": .array(Array(repeating: 1, count: 10_000)), "d": date])

        let uci = JSONValue.string(String(repeating: "x", count: 1 << 20) + "/y")
        let splitting: JSONValue = ["if": [["extractFromUVCI": [["var": "accumulator"], 1]], ["var": "accumulator"], 0]]
        let extracting = try CertLogicExpression(validating: ["reduce": [["var": "xs"], splitting, ["var": "u"]]])
        Self.expectStepLimit(extracting, ["xs": .array(Array(repeating: 1, count: 10_000)), "u": uci])
    }

    @Test func readingABigLambdaContextOnEveryItemStops() throws {
        // Build a 4 000-value accumulator once, then read the whole lambda context on every item.
        let initial = JSONValue.array(Array(repeating: ["var": "x"], count: 4_000))
        let lambda: JSONValue = ["if": [["var": ""], ["var": "accumulator"], 0]]
        let expression = try CertLogicExpression(validating: ["reduce": [["var": "xs"], lambda, initial]])
        Self.expectStepLimit(expression, ["xs": .array(Array(repeating: 1, count: 10_000))])
    }
}

extension String {
    /// `value` in six decimal digits, zero-padded: names of one length.
    init(format6 value: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: Swift.max(0, 6 - digits.count)) + digits
    }
}
