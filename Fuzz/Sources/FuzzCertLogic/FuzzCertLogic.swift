import CertLogic
import FuzzDriver
import JSON

// CertLogic expressions as rule sets carry them, with the limits the product uses. An input that is a JSON array of
// two is an expression and the data it runs on; anything else is an expression over a small DCC-like payload, so
// that `var` lookups find something. A value or a CertLogicError are both fine.
private let payload: JSONValue = {
    let text = #"""
    {"payload": {"v": [{"dn": 2, "sd": 2, "dt": "2021-06-01", "mp": "EU/1/20/1528", "co": "DE"}],
     "dob": "1990-01-01", "ver": "1.3.0"},
     "external": {"validationClock": "2022-01-01T00:00:00Z", "valueSets": {"covid-19-vaccines": ["EU/1/20/1528"]},
     "countryCode": "DE", "exp": "2023-01-01T00:00:00Z", "iat": "2021-06-01T00:00:00Z"}}
    """#
    guard let value = try? JSONParser.parse(Array(text.utf8)) else { fatalError("the harness's own payload does not parse") }
    return value
}()

@main
enum FuzzCertLogic {
    static func main() {
        FuzzDriver.run { bytes in
            guard let json = try? JSONParser.parse(bytes) else { return }
            let (logic, data): (JSONValue, JSONValue)
            if case .array(let pair) = json, pair.count == 2 {
                (logic, data) = (pair[0], pair[1])
            } else {
                (logic, data) = (json, payload)
            }
            guard let expression = try? CertLogicExpression(validating: logic) else { return }
            _ = try? expression.evaluate(data)
        }
    }
}
