import CertLogic
import JSON
import Testing

/// What validation refuses beyond the specification's validation suite: every operation's shape,
/// literal arguments and the literals CertLogic does not have.
@Suite struct ValidationTests {
    static let refused: [String] = [
        "null", "3.14", "1e3", "-0.0", "123456789012345678901234567890", "[1, null]", "{}", #"{"a": 1, "b": 2}"#,
        #"{"all": [[1], {"var": ""}]}"#, #"{"map": [[], 1]}"#, #"{"or": [true, false]}"#, #"{"==": [1, 1]}"#,
        #"{"!!": [1]}"#, #"{"-": [1, 1]}"#, #"{"var": ["x", 1]}"#, #"{"var": 0}"#, #"{"var": "x..y"}"#,
        #"{"var": ".x"}"#, #"{"var": "x."}"#, #"{"var": "."}"#, #"{"if": [true, 1]}"#,
        #"{"if": [true, 1, 2, 3]}"#, #"{"if": []}"#, #"{"===": [1]}"#, #"{"===": [1, 1, 1]}"#, #"{"and": [true]}"#,
        #"{"and": []}"#, #"{"<": [1]}"#, #"{"<": [1, 2, 3, 4]}"#, #"{"after": [1]}"#, #"{"in": [1]}"#,
        #"{"in": [1, [1], [2]]}"#, #"{"+": [1, 2, 3]}"#, #"{"+": [1]}"#, #"{"!": []}"#, #"{"!": [true, false]}"#,
        #"{"plusTime": ["2021-01-01", 1]}"#, #"{"plusTime": ["2021-01-01", {"var": "n"}, "day"]}"#,
        #"{"plusTime": ["2021-01-01", 1.5, "day"]}"#, #"{"plusTime": ["2021-01-01", 1, "week"]}"#,
        #"{"plusTime": ["2021-01-01", 1, "Day"]}"#, #"{"plusTime": ["2021-01-01", 1, {"var": "unit"}]}"#,
        #"{"plusTime": [null, 1, "day"]}"#, #"{"reduce": [[], 0]}"#, #"{"reduce": [[], 0, null]}"#,
        #"{"extractFromUVCI": ["a"]}"#, #"{"extractFromUVCI": ["a", "1"]}"#, #"{"extractFromUVCI": ["a", {"var": "i"}]}"#,
        #"{"dccDateOfBirth": []}"#, #"{"dccDateOfBirth": ["1990", "1991"]}"#, #"{"if": "x"}"#, #"{"and": {"a": 1}}"#,
        #"[{"!": [{"if": [1, 2, {"unknown": []}]}]}]"#,
    ]

    @Test(arguments: refused)
    func refuses(expression: String) throws {
        let json = try Evaluation.json(expression)
        #expect(throws: CertLogicError(.invalidExpression, "")) { _ = try CertLogicExpression(validating: json) }
    }

    static let accepted: [String] = [
        "true", "0", "-9223372036854775808", #""""#, "[]", #"[1, "a", [true]]"#, #"{"var": ""}"#, #"{"var": "0"}"#,
        #"{"var": "a b.c-d.0"}"#, #"{"and": [1, 2, 3, 4, 5]}"#, #"{"<": [1, 2, 3]}"#, #"{"not-before": [1, 2]}"#,
        #"{"plusTime": [{"var": "d"}, -18, "year"]}"#, #"{"plusTime": ["2021", 0, "hour"]}"#,
        #"{"extractFromUVCI": [{"var": "u"}, -1]}"#, #"{"reduce": [{"var": "v"}, {"var": "accumulator"}, [1, {"var": "x"}]]}"#,
    ]

    @Test(arguments: accepted)
    func accepts(expression: String) throws {
        let json = try Evaluation.json(expression)
        let validated = try CertLogicExpression(validating: json)
        #expect(validated.json == json)
    }

    @Test func errorsCompareByCodeOnly() {
        #expect(CertLogicError(.typeMismatch, "one") == CertLogicError(.typeMismatch, "two"))
        #expect(CertLogicError(.typeMismatch, "one") != CertLogicError(.limitExceeded, "one"))
        #expect(CertLogicError.Code.invalidExpression.description == "invalid-expression")
        #expect(CertLogicError(.outOfRange, "x").description == "out-of-range: x")
        let codes: Set<String> = [
            CertLogicError.Code.invalidExpression, .limitExceeded, .typeMismatch, .invalidDateTime, .outOfRange,
        ].reduce(into: []) { $0.insert($1.description) }
        #expect(codes.count == 5)
    }

    @Test func expressionsCompareByTheirJSON() throws {
        let one = try CertLogicExpression(validating: ["var": "a"])
        let same = try CertLogicExpression(validating: ["var": "a"])
        let other = try CertLogicExpression(validating: ["var": "b"])
        #expect(one == same)
        #expect(one != other)
        #expect(Set([one, same, other]).count == 2)
    }
}
