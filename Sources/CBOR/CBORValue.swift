/// One decoded CBOR data item, with the exact bytes it was decoded from.
///
/// `encodedBytes` matters for signatures: COSE verifies the protected header exactly as received,
/// never a re-encoding of it. Values built in code (`init(_:)`) are encoded canonically.
/// Equality and hashing look at `content` only.
public struct CBORValue: Sendable, Hashable {
    // Only `tagged` is indirect: boxing every case would cost an allocation per item.
    public enum Content: Sendable, Hashable {
        case unsigned(UInt64)
        /// The integer `-1 - n`.
        case negative(UInt64)
        case byteString([UInt8])
        case textString(String)
        case array([CBORValue])
        case map([MapEntry])
        indirect case tagged(UInt64, CBORValue)
        case bool(Bool)
        case null
        case undefined
        case simple(UInt8)
        case float(Double)
    }

    public struct MapEntry: Sendable, Hashable {
        public let key: CBORValue
        public let value: CBORValue
    }

    public let content: Content
    public let encodedBytes: ArraySlice<UInt8>

    init(content: Content, encodedBytes: ArraySlice<UInt8>) {
        self.content = content
        self.encodedBytes = encodedBytes
    }

    /// Builds a value and encodes it canonically (shortest heads, definite lengths).
    /// Children keep their own `encodedBytes`, so decoded parts are re-emitted byte for byte.
    public init(_ content: Content) {
        var writer = CBORWriter()
        writer.append(content)
        self.init(content: content, encodedBytes: writer.bytes[...])
    }

    public static func == (lhs: CBORValue, rhs: CBORValue) -> Bool { lhs.content == rhs.content }
    public func hash(into hasher: inout Hasher) { hasher.combine(content) }
}

// MARK: - Convenience constructors

extension CBORValue {
    public static func integer(_ value: Int64) -> CBORValue {
        value >= 0 ? CBORValue(.unsigned(UInt64(value))) : CBORValue(.negative(UInt64(-1 - value)))
    }
    public static func text(_ value: String) -> CBORValue { CBORValue(.textString(value)) }
    public static func bytes(_ value: [UInt8]) -> CBORValue { CBORValue(.byteString(value)) }
    public static func array(_ values: [CBORValue]) -> CBORValue { CBORValue(.array(values)) }
    public static func map(_ entries: [(CBORValue, CBORValue)]) -> CBORValue {
        CBORValue(.map(entries.map { MapEntry(key: $0.0, value: $0.1) }))
    }
}

// MARK: - Typed access (nil when the value has another type)

extension CBORValue {
    /// The value as a signed 64-bit integer, if it is an integer that fits.
    public var int64: Int64? {
        switch content {
        case .unsigned(let n): return Int64(exactly: n)
        case .negative(let n): return n <= UInt64(Int64.max) ? -1 - Int64(n) : nil
        default: return nil
        }
    }

    public var string: String? {
        if case .textString(let s) = content { return s }
        return nil
    }

    public var byteString: [UInt8]? {
        if case .byteString(let b) = content { return b }
        return nil
    }

    public var arrayItems: [CBORValue]? {
        if case .array(let items) = content { return items }
        return nil
    }

    public var mapEntries: [MapEntry]? {
        if case .map(let entries) = content { return entries }
        return nil
    }

    /// A number as a Double: integers and floats alike (DCC writers use both for `dn`/`sd`).
    public var number: Double? {
        switch content {
        case .unsigned(let n): return Double(n)
        case .negative(let n): return -1 - Double(n)
        case .float(let d): return d
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// The value stored under `key` in a map (keys are unique: the parser refuses duplicates).
    public subscript(key: CBORValue) -> CBORValue? {
        mapEntries?.first(where: { $0.key == key })?.value
    }

    // Integer and text keys are compared in place: no key value is built for a lookup.
    public subscript(key: Int64) -> CBORValue? {
        mapEntries?.first(where: { $0.key.int64 == key })?.value
    }

    public subscript(key: String) -> CBORValue? {
        mapEntries?.first(where: {
            if case .textString(let text) = $0.key.content { return text == key }
            return false
        })?.value
    }
}
