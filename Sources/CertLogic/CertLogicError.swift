// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the CertLogic module.
///
/// Rules come from untrusted media, so every way an expression or its evaluation can go wrong ends
/// here instead of in a crash. Callers treat any error as "the rule did not pass".
public struct CertLogicError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case invalidExpression = "invalid-expression"
            case limitExceeded = "limit-exceeded"
            case typeMismatch = "type-mismatch"
            case invalidDateTime = "invalid-date-time"
            case outOfRange = "out-of-range"
        }
        fileprivate let value: Value

        /// The JSON is not a valid CertLogic expression: unknown operation, wrong operand count,
        /// non-integer number, `null` or object literal, malformed `var` path, bad `plusTime` unit, …
        /// Raised only by `CertLogicExpression.init(validating:)`.
        public static let invalidExpression = Code(value: .invalidExpression)
        /// A `CertLogicLimits` bound was hit: nesting depth, node count, `reduce` input length,
        /// evaluation steps or the size of a value built during evaluation.
        public static let limitExceeded = Code(value: .limitExceeded)
        /// An operand evaluated to a type the operation does not accept (`<` on strings, `in` on a
        /// non-array, `if` on something neither truthy nor falsy, …).
        public static let typeMismatch = Code(value: .typeMismatch)
        /// A string given to `plusTime` or `dccDateOfBirth` is not one of the accepted date(-time)
        /// formats or names a date or time that does not exist.
        public static let invalidDateTime = Code(value: .invalidDateTime)
        /// Integer addition overflowed, or a date-time left the representable range
        /// (that of JavaScript's `Date`, ±8.64e15 ms around 1970).
        public static let outOfRange = Code(value: .outOfRange)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What went wrong, for logs and people; never parsed.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
