/// A JSON number as written. The literal is kept, so an integer of any size survives a round trip
/// unchanged; `int64` is the exact integer when the literal has no fraction or exponent and fits.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The RFC 8259 literal (validated when parsed; produced by the initializers otherwise).
    public let literal: String
    /// Set only for an integer literal (`-?digits`) within Int64.
    public let int64: Int64?

    public init(_ value: Int64) {
        self.literal = String(value)
        self.int64 = value
    }

    /// A finite Double, written in Swift's shortest round-tripping form; nil for NaN and infinities,
    /// which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if let exact = Int64(exactly: value), abs(value) < 1e15 {
            self.init(exact)
        } else {
            self.init(validatedLiteral: "\(value)")
        }
    }

    /// Wraps a literal the parser has already validated.
    init(validatedLiteral literal: String) {
        self.literal = literal
        self.int64 = literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? nil : Int64(literal)
    }

    /// The nearest Double (integers beyond 2^53 lose precision here, not in `literal`).
    public var double: Double { Double(literal) ?? .nan }

    public var isInteger: Bool { int64 != nil }

    public var description: String { literal }

    // Integers compare by value, so "-0" and "0" are the same integer; other literals compare as written.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if let left = lhs.int64, let right = rhs.int64 { return left == right }
        return lhs.literal == rhs.literal
    }

    public func hash(into hasher: inout Hasher) {
        if let int64 { hasher.combine(int64) } else { hasher.combine(literal) }
    }
}
