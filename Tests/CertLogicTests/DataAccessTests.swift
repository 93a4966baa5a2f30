import CertLogic
import JSON
import Testing

/// `var` paths (reading data, and the `reduce` lambda's context), `dataPaths`, and the equality
/// behind `===` and `in`.
@Suite struct DataAccessTests {
    @Test func pathsDrillIntoObjectsAndArrays() throws {
        let data = #"{"x": {"1": "one", "y": [10, [20, 21]]}, "s": "text"}"#
        #expect(try Evaluation.evaluate(#"{"var": "x.1"}"#, data) == "one")
        #expect(try Evaluation.evaluate(#"{"var": "x.y.1.0"}"#, data) == 20)
        #expect(try Evaluation.evaluate(#"{"var": "x.y.2"}"#, data) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "x.y.-1"}"#, data) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "x.y.99999999999999999999999"}"#, data) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "x.y.length"}"#, data) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "s.0"}"#, data) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "x.y.0.z"}"#, data) == nil)
        // Member names match exactly, without Unicode normalisation.
        #expect(try Evaluation.evaluate(#"{"var": "caf\u00e9"}"#, #"{"cafe\u0301": 1}"#) == nil)
        #expect(try Evaluation.evaluate(#"{"var": "caf\u00e9"}"#, #"{"caf\u00e9": 2}"#) == 2)
    }

    @Test func reduceLambdaSeesCurrentAndAccumulatorOnly() throws {
        #expect(try Evaluation.evaluate(#"{"reduce": [[1, 2], {"var": ""}, 0]}"#)
            == Evaluation.json(#"{"current": 2, "accumulator": {"current": 1, "accumulator": 0}}"#))
        #expect(try Evaluation.evaluate(#"{"reduce": [{"var": "xs"}, {"var": "data"}, 0]}"#, #"{"xs": [1], "data": 5}"#) == nil)
        #expect(try Evaluation.evaluate(#"{"reduce": [{"var": "xs"}, {"var": "xs"}, 0]}"#, #"{"xs": [1]}"#) == nil)
        #expect(try Evaluation.evaluate(#"{"reduce": [[[1, [5, 6]]], {"var": "current.1.0"}, 0]}"#) == 5)
        #expect(try Evaluation.evaluate(#"{"reduce": [[{"var": "a"}], {"var": "current.k"}, 0]}"#, #"{"a": {"k": "v"}}"#) == "v")
        // Counting matches: a lambda that reads both.
        let count = #"{"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"if": [{"===": [{"var": "current"}, "b"]}, 1, 0]}]}, 0]}"#
        #expect(try Evaluation.evaluate(count, #"{"xs": ["a", "b", "b", "c", "b"]}"#) == 3)
    }

    @Test func dataPathsListTopLevelReadsOnce() throws {
        let expression = try CertLogicExpression(validating: Evaluation.json(#"""
            {"and": [
                {"var": "payload.v.0"},
                {"reduce": [
                    {"var": "payload.v"},
                    {"+": [{"var": "accumulator"}, {"reduce": [{"var": "current.x"}, {"var": "accumulator"}, 0]}]},
                    {"var": "external.start"}
                ]},
                {"in": [{"var": "payload.v.0.mp"}, {"var": "external.valueSets.vaccines-covid-19-names"}]},
                {"var": "payload.v.0"}
            ]}
            """#))
        #expect(expression.dataPaths == [
            "payload.v.0", "payload.v", "external.start", "payload.v.0.mp", "external.valueSets.vaccines-covid-19-names",
        ])
        #expect(try CertLogicExpression(validating: ["var": ""]).dataPaths == [""])
        #expect(try CertLogicExpression(validating: ["!": [true]]).dataPaths == [])
    }

    @Test func strictEqualityComparesScalarsWithoutCoercion() throws {
        #expect(try Evaluation.evaluate(#"{"===": [1, 1]}"#) == true)
        #expect(try Evaluation.evaluate(#"{"===": [0, -0]}"#) == true)
        #expect(try Evaluation.evaluate(#"{"===": ["1", 1]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"===": [true, 1]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"===": [false, ""]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"===": [{"var": "x"}, {"var": "y"}]}"#, "{}") == true)
        #expect(try Evaluation.evaluate(#"{"===": ["é", "e\u0301"]}"#) == false, "no Unicode normalisation: code units compare")
    }

    @Test func membershipLooksForAScalarInAnArray() throws {
        #expect(try Evaluation.evaluate(#"{"in": [1, [1, "1"]]}"#) == true)
        #expect(try Evaluation.evaluate(#"{"in": ["1", [1]]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"in": [true, [1]]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"in": [{"var": "n"}, {"var": "xs"}]}"#, #"{"xs": [[1], {"a": 1}, null]}"#) == true)
        #expect(try Evaluation.evaluate(#"{"in": [{"var": "n"}, {"var": "xs"}]}"#, #"{"xs": [[1], {"a": 1}, 1.5]}"#) == false)
        #expect(try Evaluation.evaluate(#"{"in": ["b", ["a", {"var": "x"}]]}"#, #"{"x": "b"}"#) == true)
    }

    @Test func additionAddsInt64Exactly() throws {
        #expect(try Evaluation.evaluate(#"{"+": [9007199254740993, 1]}"#) == 9_007_199_254_740_994)
        #expect(try Evaluation.evaluate(#"{"+": [{"var": "a"}, -5]}"#, #"{"a": 3}"#) == -2)
    }
}
