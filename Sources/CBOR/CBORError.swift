// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the CBOR module.
///
/// `code` is stable and meant for programs; `detail` and `offset` are for people.
public struct CBORError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case truncated = "truncated"
            case trailingData = "trailing-data"
            case depthExceeded = "depth-exceeded"
            case tooManyItems = "too-many-items"
            case lengthExceedsInput = "length-exceeds-input"
            case indefiniteLengthRefused = "indefinite-length-refused"
            case malformedIndefiniteLength = "malformed-indefinite-length"
            case reservedHeader = "reserved-header"
            case unexpectedBreak = "unexpected-break"
            case invalidUTF8 = "invalid-utf8"
            case duplicateMapKey = "duplicate-map-key"
            case invalidSimpleValue = "invalid-simple-value"
        }
        fileprivate let value: Value

        /// The input ended inside an item.
        public static let truncated = Code(value: .truncated)
        /// Bytes follow the single top-level item.
        public static let trailingData = Code(value: .trailingData)
        /// Nesting is deeper than `CBORLimits.maxDepth`.
        public static let depthExceeded = Code(value: .depthExceeded)
        /// More items than `CBORLimits.maxItems`.
        public static let tooManyItems = Code(value: .tooManyItems)
        /// A declared length or count cannot fit in the bytes that remain, or exceeds `CBORLimits.maxStringLength`.
        public static let lengthExceedsInput = Code(value: .lengthExceedsInput)
        /// An indefinite-length item where `CBORRules` refuse them.
        public static let indefiniteLengthRefused = Code(value: .indefiniteLengthRefused)
        /// An indefinite-length string with a chunk of another type, or a map with an odd number of items.
        public static let malformedIndefiniteLength = Code(value: .malformedIndefiniteLength)
        /// Additional information 28–30, or 31 on a major type that has no indefinite form.
        public static let reservedHeader = Code(value: .reservedHeader)
        /// A "break" (0xFF) outside an indefinite-length item.
        public static let unexpectedBreak = Code(value: .unexpectedBreak)
        /// A text string that is not valid UTF-8.
        public static let invalidUTF8 = Code(value: .invalidUTF8)
        /// A map with two equal keys: refused because the meaning would be ambiguous.
        public static let duplicateMapKey = Code(value: .duplicateMapKey)
        /// A two-byte simple value below 32 (RFC 8949 §3.3).
        public static let invalidSimpleValue = Code(value: .invalidSimpleValue)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// Byte offset in the input where the problem was found.
    public let offset: Int
    public let detail: String

    init(_ code: Code, at offset: Int, _ detail: String) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "cbor \(code) at byte \(offset): \(detail)" }
}
