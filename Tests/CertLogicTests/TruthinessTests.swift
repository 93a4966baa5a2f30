import CertLogic
import JSON
import Testing

/// The spec's truthiness: disjoint truthy and falsy sets, and values that are neither.
@Suite struct TruthinessTests {
    static let truthy: [String] = [
        "true", #""a""#, #""0""#, #"" ""#, "1", "-1", "9223372036854775807", "[0]", "[[]]", "[null]", #"{"a": null}"#,
    ]
    static let falsy: [String] = ["false", "null", #""""#, "0", "-0", "[]", "{}"]
    static let neither: [String] = ["1.5", "0.0", "1.0", "1e2", "123456789012345678901234567890"]

    @Test(arguments: truthy)
    func truthyValues(text: String) throws {
        let value = try Evaluation.json(text)
        #expect(CertLogic.isTruthy(value))
        #expect(!CertLogic.isFalsy(value))
        #expect(try CertLogicExpression(validating: ["!": [["var": "x"]]]).evaluate(["x": value]) == false)
        #expect(try CertLogicExpression(validating: ["if": [["var": "x"], "T", "F"]]).evaluate(["x": value]) == "T")
    }

    @Test(arguments: falsy)
    func falsyValues(text: String) throws {
        let value = try Evaluation.json(text)
        #expect(!CertLogic.isTruthy(value))
        #expect(CertLogic.isFalsy(value))
        #expect(try CertLogicExpression(validating: ["!": [["var": "x"]]]).evaluate(["x": value]) == true)
        #expect(try CertLogicExpression(validating: ["and": [["var": "x"], true]]).evaluate(["x": value]) == value)
    }

    @Test(arguments: neither)
    func valuesNeitherTruthyNorFalsy(text: String) throws {
        let value = try Evaluation.json(text)
        #expect(!CertLogic.isTruthy(value))
        #expect(!CertLogic.isFalsy(value))
        for operation in ["!": [["var": "x"]], "if": [["var": "x"], 1, 2], "and": [true, ["var": "x"]]] as [String: JSONValue] {
            let expression = try CertLogicExpression(validating: [operation.key: operation.value])
            #expect(throws: CertLogicError(.typeMismatch, "")) { _ = try expression.evaluate(["x": value]) }
        }
    }

    @Test func isSatisfiedIsTruthinessOfTheResult() throws {
        let expression = try CertLogicExpression(validating: ["var": "x"])
        #expect(try expression.isSatisfied(by: ["x": "yes"]))
        #expect(try !expression.isSatisfied(by: ["x": 0]))
        #expect(try !expression.isSatisfied(by: ["x": .number(JSONNumber(2.5)!)]))
        #expect(try !expression.isSatisfied(by: .null))
    }
}
