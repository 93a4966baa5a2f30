import AdmissionRules
import FuzzDriver
import JSON

// The rule JSON of a trust bundle's rules section and of a country's rule files: one rule, a rule set (an array),
// value sets and a rule's test case. A rule that reads is also run, on a small DCC-like payload, through the
// evaluator the gate uses. A value or an AdmissionRulesError are both fine.
private let data: JSONValue = {
    let text = #"""
    {"payload": {"v": [{"dn": 2, "sd": 2, "dt": "2021-06-01", "mp": "EU/1/20/1528", "co": "DE", "tg": "840539006"}],
     "dob": "1990-01-01", "ver": "1.3.0"},
     "external": {"validationClock": "2022-01-01T00:00:00Z", "valueSets": {"covid-19-vaccines": ["EU/1/20/1528"]},
     "countryCode": "DE", "exp": "2023-01-01T00:00:00Z", "iat": "2021-06-01T00:00:00Z"}}
    """#
    guard let value = try? JSONParser.parse(Array(text.utf8)) else { fatalError("the harness's own payload does not parse") }
    return value
}()
private let evaluator = RuleEvaluator()

@main
enum FuzzRules {
    static func main() {
        FuzzDriver.run { bytes in
            guard let json = try? JSONParser.parse(bytes) else { return }
            if let rule = try? ValidationRule(json: json) {
                _ = evaluator.evaluate([rule], data: data)
            }
            if let set = try? RuleSet(json: json) {
                _ = evaluator.evaluate(set.rules, data: data)
            }
            _ = try? ValueSets(json: json)
            _ = try? RuleTest(json: json)
        }
    }
}
