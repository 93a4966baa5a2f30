/// Bounds applied while parsing untrusted CBOR. Every declared length and count is also checked
/// against the bytes that remain, so a few input bytes can never make the parser allocate much.
public struct CBORLimits: Sendable, Hashable {
    /// Maximum nesting of arrays, maps, tags and chunked strings. The top-level item has depth 0.
    public var maxDepth: Int
    /// Maximum number of items in the whole input.
    public var maxItems: Int
    /// Maximum length of one byte or text string.
    public var maxStringLength: Int

    public init(maxDepth: Int = 16, maxItems: Int = 10_000, maxStringLength: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxItems = maxItems
        self.maxStringLength = maxStringLength
    }

    /// Generous for credentials (a DCC is nested 5 deep and holds well under 200 items).
    public static let `default` = CBORLimits()
}

/// Which legal-but-risky encodings the parser accepts.
public struct CBORRules: Sendable, Hashable {
    /// Indefinite-length arrays, maps and chunked strings (RFC 8949 §3.2). Credentials are signed as
    /// bytes, so accepting them is safe; when off they fail with `indefiniteLengthRefused`.
    public var allowsIndefiniteLengths: Bool

    public init(allowsIndefiniteLengths: Bool) {
        self.allowsIndefiniteLengths = allowsIndefiniteLengths
    }

    /// Accept indefinite lengths; duplicate map keys and invalid UTF-8 are always refused.
    public static let lenient = CBORRules(allowsIndefiniteLengths: true)
    /// Definite lengths only.
    public static let strict = CBORRules(allowsIndefiniteLengths: false)
}
