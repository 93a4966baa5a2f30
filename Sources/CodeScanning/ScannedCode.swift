/// One QR code found by ``QRScanner``.
///
/// Values only: nothing here points into zbar memory, so a `ScannedCode` outlives the scan that produced it.
public struct ScannedCode: Sendable, Hashable {
    /// A position in image coordinates (pixels, origin top-left).
    public struct Point: Sendable, Hashable {
        public let x: Int
        public let y: Int
    }

    /// The exact bytes zbar decoded. zbar runs in binary mode, so they are not re-encoded, and they are
    /// copied by length (they may contain NUL).
    public let payload: [UInt8]

    /// The outline zbar reports for the symbol (for a QR code, usually its four corners), in image coordinates.
    public let corners: [Point]

    /// The payload as UTF-8 text, or nil if it is not valid UTF-8. HC1 strings are plain ASCII.
    public var text: String? { String(validating: payload, as: UTF8.self) }
}
