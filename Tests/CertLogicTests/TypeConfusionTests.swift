import CertLogic
import JSON
import Testing

/// Every operation given operands of the wrong type fails closed with a `CertLogicError` (never a
/// crash, never a made-up value). Each case is (expression, data, expected code).
@Suite struct TypeConfusionTests {
    static let mismatch = CertLogicError.Code.typeMismatch
    static let invalidDate = CertLogicError.Code.invalidDateTime
    static let outOfRange = CertLogicError.Code.outOfRange

    /// A date-time operand: only plusTime and dccDateOfBirth make them.
    static let date = #"{"plusTime": ["2021-01-01", 0, "day"]}"#

    static let cases: [(String, String, CertLogicError.Code)] = [
        // if: the guard must be truthy or falsy.
        (#"{"if": [{"var": "x"}, 1, 2]}"#, #"{"x": 1.5}"#, mismatch),
        (#"{"if": [\#(date), 1, 2]}"#, "null", mismatch),
        // ===: only null, booleans, integers, strings.
        (#"{"===": [{"var": "a"}, {"var": "b"}]}"#, #"{"a": [1], "b": [1]}"#, mismatch),
        (#"{"===": [{"var": "a"}, {"var": "a"}]}"#, #"{"a": {"k": 1}}"#, mismatch),
        (#"{"===": [{"var": "a"}, 1]}"#, #"{"a": 1.0}"#, mismatch),
        (#"{"===": [\#(date), \#(date)]}"#, "null", mismatch),
        (#"{"===": [[1, {"var": "a"}], 1]}"#, "null", mismatch),
        // and: every operand evaluated must be truthy or falsy.
        (#"{"and": [true, {"var": "x"}]}"#, #"{"x": 2.5}"#, mismatch),
        (#"{"and": [\#(date), true]}"#, "null", mismatch),
        // Integer comparisons: integers only, in both forms.
        (#"{"<": ["a", "b"]}"#, "null", mismatch),
        (#"{">": [{"var": "x"}, 1]}"#, "null", mismatch),
        (#"{"<=": [{"var": "x"}, 1]}"#, #"{"x": {"a": 1}}"#, mismatch),
        (#"{">=": [{"var": "x"}, 1]}"#, #"{"x": 1.5}"#, mismatch),
        (#"{"<": [true, 1]}"#, "null", mismatch),
        (#"{"<": [1, 2, "3"]}"#, "null", mismatch),
        (#"{"<": [\#(date), \#(date)]}"#, "null", mismatch),
        (#"{"<": [{"var": "x"}, 1]}"#, #"{"x": 123456789012345678901234567890}"#, mismatch),
        // in: an array on the right, a scalar on the left.
        (#"{"in": ["a", "abc"]}"#, "null", mismatch),
        (#"{"in": ["a", {"var": "x"}]}"#, "null", mismatch),
        (#"{"in": ["a", {"var": "x"}]}"#, #"{"x": {"a": true}}"#, mismatch),
        (#"{"in": ["a", 1]}"#, "null", mismatch),
        (#"{"in": [[1], [[1]]]}"#, "null", mismatch),
        (#"{"in": [{"var": "x"}, []]}"#, #"{"x": {"a": 1}}"#, mismatch),
        (#"{"in": [\#(date), []]}"#, "null", mismatch),
        // +: two integers, without overflow.
        (#"{"+": ["1", 2]}"#, "null", mismatch),
        (#"{"+": [{"var": "x"}, 2]}"#, "null", mismatch),
        (#"{"+": [{"var": "x"}, 2]}"#, #"{"x": 1.5}"#, mismatch),
        (#"{"+": [[1], 2]}"#, "null", mismatch),
        (#"{"+": [9223372036854775807, 1]}"#, "null", outOfRange),
        (#"{"+": [-9223372036854775808, -1]}"#, "null", outOfRange),
        // !: truthy or falsy.
        (#"{"!": [{"var": "x"}]}"#, #"{"x": 0.5}"#, mismatch),
        (#"{"!": [\#(date)]}"#, "null", mismatch),
        // Date-time comparisons: date-times only (strings are not date-times).
        (#"{"before": ["2021-01-01", "2022-01-01"]}"#, "null", mismatch),
        (#"{"after": [1, 2]}"#, "null", mismatch),
        (#"{"not-after": [\#(date), {"var": "x"}]}"#, "null", mismatch),
        (#"{"not-before": [\#(date), \#(date), {"var": "x"}]}"#, "null", mismatch),
        // plusTime: a string in an accepted format, a result in range.
        (#"{"plusTime": [{"var": "x"}, 0, "day"]}"#, "null", mismatch),
        (#"{"plusTime": [{"var": "x"}, 0, "day"]}"#, #"{"x": 20210101}"#, mismatch),
        (#"{"plusTime": [{"var": "x"}, 0, "day"]}"#, #"{"x": ["2021-01-01"]}"#, mismatch),
        (#"{"plusTime": [\#(date), 1, "day"]}"#, "null", mismatch),
        (#"{"plusTime": ["", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["yesterday", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-13-01", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-09-99", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2022-13", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-02-29", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-1-1", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T24:00:00Z", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00Z", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00:00.Z", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00:00+", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00:00+12345", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00:00+1:", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01T12:00:00+0160", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01 12:00:00Z", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["２０２１-01-01", 0, "day"]}"#, "null", invalidDate),
        (#"{"plusTime": ["2021-01-01", 9223372036854775807, "day"]}"#, "null", outOfRange),
        (#"{"plusTime": ["2021-01-01", -9223372036854775808, "hour"]}"#, "null", outOfRange),
        (#"{"plusTime": ["2021-01-01", 9223372036854775807, "month"]}"#, "null", outOfRange),
        (#"{"plusTime": ["2021-01-01", 9223372036854775807, "year"]}"#, "null", outOfRange),
        (#"{"plusTime": ["2021-01-01", 300000, "year"]}"#, "null", outOfRange),
        // reduce: an array or null.
        (#"{"reduce": [{"var": "x"}, 0, 0]}"#, #"{"x": "abc"}"#, mismatch),
        (#"{"reduce": [{"var": "x"}, 0, 0]}"#, #"{"x": {"a": 1}}"#, mismatch),
        (#"{"reduce": [5, 0, 0]}"#, "null", mismatch),
        (#"{"reduce": [\#(date), 0, 0]}"#, "null", mismatch),
        // extractFromUVCI: a string or null.
        (#"{"extractFromUVCI": [{"var": "x"}, 0]}"#, #"{"x": 1}"#, mismatch),
        (#"{"extractFromUVCI": [["a"], 0]}"#, "null", mismatch),
        (#"{"extractFromUVCI": [true, 0]}"#, "null", mismatch),
        (#"{"extractFromUVCI": [\#(date), 0]}"#, "null", mismatch),
        // dccDateOfBirth: a string in YYYY, YYYY-MM or YYYY-MM-DD.
        (#"{"dccDateOfBirth": [{"var": "x"}]}"#, "null", mismatch),
        (#"{"dccDateOfBirth": [1990]}"#, "null", mismatch),
        (#"{"dccDateOfBirth": [\#(date)]}"#, "null", mismatch),
        (#"{"dccDateOfBirth": [""]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["1990-05-17T00:00:00Z"]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["19901"]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["1990-00"]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["1990-13"]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["1990-02-30"]}"#, "null", invalidDate),
        (#"{"dccDateOfBirth": ["XXXX-XX-XX"]}"#, "null", invalidDate),
    ]

    @Test(arguments: cases)
    func failsClosed(expression: String, data: String, code: CertLogicError.Code) throws {
        let error = try Evaluation.error(expression, data)
        #expect(error?.code == code, "\(expression) on \(data): \(error.map(String.init(describing:)) ?? "no error")")
    }

    @Test func errorsOnlyHappenWhereTheOperandIsEvaluated() throws {
        // Laziness keeps the bad branch harmless: if/and evaluate only what they need.
        #expect(try Evaluation.evaluate(#"{"if": [false, {"+": ["a", 1]}, 7]}"#) == 7)
        #expect(try Evaluation.evaluate(#"{"and": [0, {"plusTime": ["bad", 0, "day"]}]}"#) == 0)
        #expect(try Evaluation.evaluate(#"{"reduce": [{"var": "x"}, {"+": ["a", 1]}, 3]}"#, #"{"x": []}"#) == 3)
        #expect(try Evaluation.evaluate(#"{"reduce": [{"var": "x"}, {"+": ["a", 1]}, 3]}"#, "null") == 3)
    }
}
