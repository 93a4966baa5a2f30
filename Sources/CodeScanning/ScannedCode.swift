/// One QR code found by ``QRScanner``.
///
/// Values only: nothing here points into zbar memory, so a `ScannedCode` outlives the scan that produced it.
public struct ScannedCode: Sendable, Hashable {
    /// A position in image coordinates (pixels, origin top-left).
    public struct Point: Sendable, Hashable {
        public let x: Int
        public let y: Int

        /// Creates a point.
        public init(x: Int, y: Int) {
            self.x = x
            self.y = y
        }
    }

    /// The exact bytes zbar decoded. zbar runs in binary mode, so they are not re-encoded, and they are
    /// copied by length (they may contain NUL).
    public let payload: [UInt8]

    /// The outline zbar reports for the symbol (for a QR code, usually its four corners), in image coordinates.
    public let corners: [Point]

    /// Creates a value, e.g. for fakes and tests; ``QRScanner`` is the normal source.
    public init(payload: [UInt8], corners: [Point]) {
        self.payload = payload
        self.corners = corners
    }

    /// The payload as UTF-8 text, or nil if it is not valid UTF-8. HC1 strings are plain ASCII.
    public var text: String? {
        // String(validating:as:) would need macOS 15; a lossless round trip means the bytes were valid UTF-8.
        let decoded = String(decoding: payload, as: UTF8.self)
        return decoded.utf8.elementsEqual(payload) ? decoded : nil
    }
}
