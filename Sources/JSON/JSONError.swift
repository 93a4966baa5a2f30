// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the JSON module.
///
/// `code` is stable and meant for programs; `detail` and `offset` are for people.
public struct JSONError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case truncated = "truncated"
            case unexpectedCharacter = "unexpected-character"
            case trailingData = "trailing-data"
            case invalidNumber = "invalid-number"
            case invalidString = "invalid-string"
            case invalidUTF8 = "invalid-utf8"
            case duplicateName = "duplicate-name"
            case depthExceeded = "depth-exceeded"
            case tooManyItems = "too-many-items"
            case tooLarge = "too-large"
        }
        fileprivate let value: Value

        /// The text ended inside a value.
        public static let truncated = Code(value: .truncated)
        /// A byte that cannot start or continue a value here.
        public static let unexpectedCharacter = Code(value: .unexpectedCharacter)
        /// Something other than whitespace follows the top-level value.
        public static let trailingData = Code(value: .trailingData)
        /// A number that breaks RFC 8259's grammar (leading zeros, a bare `.`, `+1`, …) or is too long.
        public static let invalidNumber = Code(value: .invalidNumber)
        /// A control character, bad escape or lone surrogate in a string.
        public static let invalidString = Code(value: .invalidString)
        /// Bytes that are not UTF-8.
        public static let invalidUTF8 = Code(value: .invalidUTF8)
        /// An object with the same member name twice: refused, since readers disagree on which wins.
        public static let duplicateName = Code(value: .duplicateName)
        /// Nesting deeper than `JSONLimits.maxDepth`.
        public static let depthExceeded = Code(value: .depthExceeded)
        /// More values than `JSONLimits.maxItems`.
        public static let tooManyItems = Code(value: .tooManyItems)
        /// The text or one string in it is longer than its limit.
        public static let tooLarge = Code(value: .tooLarge)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// Byte offset into the input where the problem was found.
    public let offset: Int
    public let detail: String

    public init(_ code: Code, at offset: Int, _ detail: String) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "\(code) at byte \(offset): \(detail)" }
}
