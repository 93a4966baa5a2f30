/// Conversions beyond Int64: unsigned counters and Doubles written the way Swift prints them.
extension JSONNumber {
    /// An unsigned integer, exact over the whole UInt64 range (counters, sequence numbers).
    public init(_ value: UInt64) {
        self.init(validatedLiteral: String(value))
    }

    /// A finite Double exactly as Swift's `description` spells it, nil for NaN and infinities.
    ///
    /// Unlike `init?(_:)`, an integral value keeps its fraction (`12.0`, not `12`), so a reader can tell
    /// a measurement from a count; otherwise the two agree (`12.5`, `1e-07`, `1e+300`). Every finite
    /// Double's description is a valid RFC 8259 number.
    public init?(keepingFraction value: Double) {
        guard value.isFinite else { return nil }
        self.init(validatedLiteral: value.description)
    }

    /// The value as an exact unsigned integer: an integer literal (no fraction or exponent) within
    /// UInt64, as `UInt64(literal)` reads it (so `-0` is 0 and `-1` is nil).
    public var uint64: UInt64? {
        literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? nil : UInt64(literal)
    }
}

extension JSONValue {
    public static func integer(_ value: UInt64) -> JSONValue { .number(JSONNumber(value)) }

    /// The value as an exact unsigned integer: a number written without fraction or exponent that fits UInt64.
    public var uint64: UInt64? { number?.uint64 }
}
