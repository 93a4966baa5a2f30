/// Loads still images (PNG, JPEG, PGM) into ``GreyImage`` values for CodeScanning's `QRScanner`.
///
/// The format is chosen by sniffing magic bytes, never by the file extension: a file named `.png` may well
/// be a JPEG (as the Vietnamese DCC sample is). Every path is bounded: file size first, then the declared
/// dimensions before any pixel memory is allocated. Attacker-controlled input produces a
/// ``ImagingError``, never a crash.
public enum ImageFile {
    /// Files and byte buffers larger than this (32 MiB) are refused without being decoded.
    public static let maximumFileSize = 32 * 1024 * 1024

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// Loads PNG, JPEG or binary PGM (P5, maxval <= 255; ASCII P2 too) by sniffing magic bytes (not the extension).
    ///
    /// - Throws: ``ImagingError/Code/unreadableFile`` if the path cannot be read or is not a regular file,
    ///   ``ImagingError/Code/fileTooLarge`` beyond ``maximumFileSize``, and otherwise whatever
    ///   ``decode(_:)`` throws. Descriptions name the path.
    public static func load(contentsOf path: String) throws(ImagingError) -> GreyImage {
        let bytes = try FileReader.contents(ofFile: path, maximumSize: maximumFileSize)
        do {
            return try decode(bytes)
        } catch {
            throw error.prefixingReason(with: path)
        }
    }

    /// Decodes an in-memory PNG, JPEG or PGM image to 8-bit grey.
    ///
    /// Colour is converted to luminance and transparency is composited onto white.
    ///
    /// - Throws: ``ImagingError/Code/unsupportedImageFormat`` for unknown or empty data,
    ///   ``ImagingError/Code/corruptImage`` for malformed or truncated data,
    ///   ``ImagingError/Code/imageTooLarge`` if the image declares more than 8192 pixels a side or
    ///   40 megapixels, ``ImagingError/Code/fileTooLarge`` beyond ``maximumFileSize``.
    public static func decode(_ bytes: [UInt8]) throws(ImagingError) -> GreyImage {
        guard bytes.count <= maximumFileSize else {
            throw ImagingError(.fileTooLarge, "\(bytes.count) bytes exceeds the limit of \(maximumFileSize)")
        }
        if bytes.starts(with: pngSignature) {
            return try NativeImageDecoder.decode(bytes, as: .png)
        }
        if bytes.starts(with: jpegSignature) {
            return try NativeImageDecoder.decode(bytes, as: .jpeg)
        }
        if NetpbmDecoder.recognizes(bytes) {
            return try NetpbmDecoder.decode(bytes)
        }
        if bytes.isEmpty {
            throw ImagingError(.unsupportedImageFormat, "no data")
        }
        throw ImagingError(.unsupportedImageFormat, "not a PNG, JPEG or PGM image (first bytes \(hexPrefix(of: bytes)))")
    }

    private static func hexPrefix(of bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}
