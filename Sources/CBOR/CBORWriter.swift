/// Canonical CBOR encoder: shortest-form heads and definite lengths (RFC 8949 §4.2.1 without key sorting).
/// Used to build COSE `Sig_structure`s and, in tests, credentials.
public struct CBORWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func appendHead(major: UInt8, argument: UInt64) {
        let top = major << 5
        switch argument {
        case 0..<24: bytes.append(top | UInt8(argument))
        case 24...0xFF: bytes += [top | 24, UInt8(argument)]
        case 0x100...0xFFFF: bytes.append(top | 25); appendBigEndian(argument, count: 2)
        case 0x1_0000...0xFFFF_FFFF: bytes.append(top | 26); appendBigEndian(argument, count: 4)
        default: bytes.append(top | 27); appendBigEndian(argument, count: 8)
        }
    }

    public mutating func appendByteString(_ value: some Collection<UInt8>) {
        appendHead(major: 2, argument: UInt64(value.count))
        bytes += value
    }

    public mutating func appendTextString(_ value: String) {
        let utf8 = Array(value.utf8)
        appendHead(major: 3, argument: UInt64(utf8.count))
        bytes += utf8
    }

    /// Appends an already encoded item unchanged.
    public mutating func appendEncoded(_ encoded: some Collection<UInt8>) {
        bytes += encoded
    }

    mutating func append(_ content: CBORValue.Content) {
        switch content {
        case .unsigned(let n): appendHead(major: 0, argument: n)
        case .negative(let n): appendHead(major: 1, argument: n)
        case .byteString(let b): appendByteString(b)
        case .textString(let s): appendTextString(s)
        case .array(let items):
            appendHead(major: 4, argument: UInt64(items.count))
            for item in items { appendEncoded(item.encodedBytes) }
        case .map(let entries):
            appendHead(major: 5, argument: UInt64(entries.count))
            for entry in entries {
                appendEncoded(entry.key.encodedBytes)
                appendEncoded(entry.value.encodedBytes)
            }
        case .tagged(let tag, let item):
            appendHead(major: 6, argument: tag)
            appendEncoded(item.encodedBytes)
        case .bool(let b): bytes.append(b ? 0xF5 : 0xF4)
        case .null: bytes.append(0xF6)
        case .undefined: bytes.append(0xF7)
        case .simple(let v):
            if v < 24 { bytes.append(0xE0 | v) } else { bytes += [0xF8, v] }
        case .float(let d):
            bytes.append(0xFB)
            appendBigEndian(d.bitPattern, count: 8)
        }
    }

    private mutating func appendBigEndian(_ value: UInt64, count: Int) {
        for shift in stride(from: (count - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
