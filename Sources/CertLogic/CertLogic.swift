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

extension CertLogic {
    /// The instant a date or date-time names as CertLogic reads one (`plusTime`'s input: the spec's
    /// formats, a missing offset meaning UTC), in milliseconds since 1970-01-01T00:00:00Z; nil when
    /// the text names no real instant. Rule metadata and rule tests use it, so there is one parser.
    public static func millisecondsSinceEpoch(of text: String) -> Int64? {
        try? DateTime.parse(plusTimeInput: text).millisecondsSinceEpoch
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ` for an instant, as JavaScript's `toISOString` writes it; nil outside
    /// JavaScript's date range.
    public static func iso8601(millisecondsSinceEpoch: Int64) -> String? {
        (try? DateTime(millisecondsSinceEpoch: millisecondsSinceEpoch))?.iso8601
    }
}
