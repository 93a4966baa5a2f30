import CertLogic
import JSON

/// Shorthands for tests that write expressions and data as JSON text.
enum Evaluation {
    static func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// Validates `expression` and evaluates it on `data`, both given as JSON text.
    static func evaluate(_ expression: String, _ data: String = "null") throws -> JSONValue {
        try CertLogicExpression(validating: json(expression)).evaluate(json(data))
    }

    /// The error `evaluate` throws (nil when it does not throw): validation and evaluation alike.
    static func error(_ expression: String, _ data: String = "null") throws -> CertLogicError? {
        let expressionJSON = try json(expression)
        let dataJSON = try json(data)
        do {
            _ = try CertLogicExpression(validating: expressionJSON).evaluate(dataJSON)
            return nil
        } catch {
            return error
        }
    }

    /// `{"plusTime": [text, amount, unit]}` evaluated, as its ISO 8601 result.
    static func plusTime(_ text: String, _ amount: Int, _ unit: String) throws -> JSONValue {
        let expression: JSONValue = ["plusTime": [.string(text), .integer(amount), .string(unit)]]
        return try CertLogicExpression(validating: expression).evaluate(.null)
    }

    /// `{"dccDateOfBirth": [text]}` evaluated, as its ISO 8601 result.
    static func dateOfBirth(_ text: String) throws -> JSONValue {
        try CertLogicExpression(validating: ["dccDateOfBirth": [.string(text)]]).evaluate(.null)
    }
}
