/// Reads one binary PGM header (`P5 width height maxval`) from a stream, byte by byte and bounded.
///
/// Netpbm allows `#` comments anywhere in the header and any whitespace between fields; exactly one
/// whitespace byte separates maxval from the raster. Headers longer than ``maximumLength`` are refused, so a
/// stream of garbage cannot keep the reader busy.
struct PGMHeaderScanner {
    /// Longest header accepted, comments included.
    static let maximumLength = 4096

    private let reader: FileByteReader
    private let frameIndex: Int
    private var consumed = 0
    /// A byte read ahead while parsing a number.
    private var pending: UInt8?

    init(reader: FileByteReader, frameIndex: Int) {
        self.reader = reader
        self.frameIndex = frameIndex
    }

    /// Skips whitespace before the next image and reads `P5`. False at a clean end of the stream.
    mutating func skipToMagic() throws(FrameSourceError) -> Bool {
        var byte = try next()
        while let current = byte, Self.isWhitespace(current) {
            byte = try next()
        }
        guard let first = byte else { return false }
        guard first == UInt8(ascii: "P"), try next() == UInt8(ascii: "5") else {
            throw corrupt("does not start with P5")
        }
        return true
    }

    /// A decimal header field, after whitespace and comments.
    mutating func number(named name: String) throws(FrameSourceError) -> Int {
        var byte = try skipWhitespaceAndComments()
        var value = 0
        var digits = 0
        while let current = byte, current >= UInt8(ascii: "0"), current <= UInt8(ascii: "9") {
            digits += 1
            guard digits <= 9 else { throw corrupt("\(name) has too many digits") }
            value = value * 10 + Int(current - UInt8(ascii: "0"))
            byte = try next()
        }
        guard digits > 0 else { throw corrupt("\(name) is missing") }
        pending = byte
        return value
    }

    /// The single whitespace byte between maxval and the raster.
    mutating func consumeSeparator() throws(FrameSourceError) {
        guard let byte = try next(), Self.isWhitespace(byte) else {
            throw corrupt("no whitespace after maxval")
        }
    }

    /// An `unreadableInput` error naming the file and the image.
    func corrupt(_ reason: String) -> FrameSourceError {
        FrameSourceError(.unreadableInput, "\(reader.path): PGM image \(frameIndex): \(reason)")
    }

    private mutating func skipWhitespaceAndComments() throws(FrameSourceError) -> UInt8? {
        while let byte = try next() {
            if byte == UInt8(ascii: "#") {
                while let commentByte = try next(), commentByte != UInt8(ascii: "\n"), commentByte != UInt8(ascii: "\r") {}
            } else if !Self.isWhitespace(byte) {
                return byte
            }
        }
        throw corrupt("header is truncated")
    }

    private mutating func next() throws(FrameSourceError) -> UInt8? {
        if let byte = pending {
            pending = nil
            return byte
        }
        consumed += 1
        guard consumed <= Self.maximumLength else { throw corrupt("header is longer than \(Self.maximumLength) bytes") }
        return try reader.readByte()
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
