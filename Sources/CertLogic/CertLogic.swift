import JSON

/// Namespace for CertLogic helpers that are not tied to one expression.
public enum CertLogic {
    /// The specification's truthiness: `true`, a non-empty string, a non-zero integer, a non-empty
    /// array or a non-empty object. Everything else is not truthy — including values that are not
    /// falsy either (non-integer numbers), which `if`, `and` and `!` refuse instead of guessing.
    public static func isTruthy(_ value: JSONValue) -> Bool {
        Boolsiness(value) == .truthy
    }

    /// The specification's falsiness: `false`, `null`, `""`, `0`, `[]` and `{}`.
    public static func isFalsy(_ value: JSONValue) -> Bool {
        Boolsiness(value) == .falsy
    }
}
