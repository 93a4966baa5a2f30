/// A bounded reader of DER TLVs, for the few ICAO structures OpenSSL has no parser for (the CSCA master list
/// content, the Document Type List extension). Definite lengths only; every length is checked against the
/// bytes that remain, so no input can make it read out of bounds or allocate.
public struct DERReader {
    /// One element: its tag byte, its content and its complete encoding.
    public struct Element: Sendable {
        public let tag: UInt8
        public let content: ArraySlice<UInt8>
        public let encoding: ArraySlice<UInt8>
    }

    public static let sequence: UInt8 = 0x30
    public static let set: UInt8 = 0x31
    public static let integer: UInt8 = 0x02
    public static let printableString: UInt8 = 0x13
    public static let utf8String: UInt8 = 0x0C

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    public var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next element; nil for a truncated or non-DER length, a multi-byte tag or an indefinite length.
    public mutating func next() -> Element? {
        let start = position
        guard position < bytes.endIndex else { return nil }
        let tag = bytes[position]
        // High-tag-number form (low five bits all set) is not used by anything read here.
        guard tag & 0x1F != 0x1F else { return nil }
        position += 1
        guard position < bytes.endIndex else { return nil }
        let first = bytes[position]
        position += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            // 0x80 is BER's indefinite length; more than four length bytes is beyond any size accepted here.
            guard count >= 1, count <= 4, bytes.endIndex - position >= count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
            // DER: the shortest length form.
            guard length >= 0x80, length >> (8 * (count - 1)) != 0 else { return nil }
        }
        guard bytes.endIndex - position >= length else { return nil }
        let content = bytes[position..<position + length]
        position += length
        return Element(tag: tag, content: content, encoding: bytes[start..<position])
    }
}
