/// The one error type of the JSON module.
///
/// `code` is stable and meant for programs; `reason` and `offset` are for people. Two errors are
/// equal when their codes are equal, so tests and callers never depend on wording.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
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
    public let reason: String

    public init(_ code: Code, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(code) at byte \(offset): \(reason)" }

    public static func == (lhs: JSONError, rhs: JSONError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
