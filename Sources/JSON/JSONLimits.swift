/// Bounds applied while parsing untrusted JSON: a QR payload, a rule set from a USB stick, a download.
public struct JSONLimits: Sendable, Hashable {
    /// Maximum size of the whole text in bytes.
    public var maxBytes: Int
    /// Maximum nesting of arrays and objects. The top-level value has depth 0.
    public var maxDepth: Int
    /// Maximum number of values (every scalar, array and object counts one).
    public var maxItems: Int
    /// Maximum length in bytes of one string or number literal, as written.
    public var maxStringLength: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64, maxItems: Int = 1_000_000, maxStringLength: Int = 1 << 20) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxItems = maxItems
        self.maxStringLength = maxStringLength
    }

    /// Generous for rule sets, value sets, manifests and status lines; tight enough that no input can
    /// make the parser use more than a small multiple of `maxBytes`.
    public static let `default` = JSONLimits()
}
