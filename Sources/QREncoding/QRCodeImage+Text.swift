import CQREncode
import CodeScanning

extension QRCodeImage {
    /// Encodes `text` with libqrencode's mode optimisation (`QRcode_encodeString`, case-sensitive): an HC1
    /// string, whose Base45 alphabet is QR's alphanumeric set, becomes one alphanumeric segment, as many real
    /// DCC issuers print it, and a smaller code than ``matrix(_:errorCorrection:)``'s byte mode gives.
    /// Nil when the text does not fit or contains a NUL.
    public static func matrix(text: String, errorCorrection: ErrorCorrection = .quartile) -> Matrix? {
        guard !text.utf8.contains(0),
            let code = QRcode_encodeString(text, 0, errorCorrection.level, QR_MODE_8, 1)
        else { return nil }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
        return Matrix(size: size, version: Int(code.pointee.version), modules: modules)
    }

    /// `matrix` drawn black on white, `moduleSize` pixels per module, with a quiet zone of `margin` modules.
    public static func image(_ matrix: Matrix, moduleSize: Int = 3, margin: Int = 4) -> GreyImage? {
        guard moduleSize > 0, margin >= 0 else { return nil }
        let side = (matrix.size + 2 * margin) * moduleSize
        var pixels = [UInt8](repeating: 255, count: side * side)
        let origin = margin * moduleSize
        for row in 0..<matrix.size {
            for column in 0..<matrix.size where matrix.modules[row * matrix.size + column] {
                for y in 0..<moduleSize {
                    let start = (origin + row * moduleSize + y) * side + origin + column * moduleSize
                    for x in 0..<moduleSize { pixels[start + x] = 0 }
                }
            }
        }
        return try? GreyImage(width: side, height: side, pixels: pixels)
    }
}
