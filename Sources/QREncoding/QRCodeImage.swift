import CQREncode
import Imaging

/// QR codes drawn as grey images, for tests, the demo and benchmarks: GateCheck itself never
/// makes codes, it reads them. Wraps libqrencode.
public enum QRCodeImage {
    public enum ErrorCorrection: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The code's modules: `modules[row * size + column]` is true for a dark module.
    public struct Matrix: Sendable {
        public let size: Int
        public let version: Int
        public let modules: [Bool]
    }

    /// Encodes `payload` in byte mode (ECC Q by default, as the DCC spec recommends); nil when it does not fit.
    public static func matrix(_ payload: [UInt8], errorCorrection: ErrorCorrection = .quartile) -> Matrix? {
        guard let code = payload.withUnsafeBufferPointer({ QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, errorCorrection.level) })
        else { return nil }
        return taking(code)
    }

    /// The modules of a code libqrencode made, which is then freed.
    static func taking(_ code: UnsafeMutablePointer<QRcode>) -> Matrix {
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
        return Matrix(size: size, version: Int(code.pointee.version), modules: modules)
    }

    /// The code drawn black on white, `moduleSize` pixels per module, with a quiet zone of
    /// `margin` modules, centred on a canvas of at least `canvasWidth` × `canvasHeight`.
    public static func image(
        _ payload: [UInt8], moduleSize: Int = 3, margin: Int = 4, canvasWidth: Int = 0, canvasHeight: Int = 0,
        errorCorrection: ErrorCorrection = .quartile
    ) -> GreyImage? {
        guard let matrix = matrix(payload, errorCorrection: errorCorrection) else { return nil }
        return image(matrix, moduleSize: moduleSize, margin: margin, canvasWidth: canvasWidth, canvasHeight: canvasHeight)
    }

    /// `matrix` drawn black on white, `moduleSize` pixels per module, with a quiet zone of `margin` modules,
    /// centred on a canvas of at least `canvasWidth` × `canvasHeight`.
    public static func image(_ matrix: Matrix, moduleSize: Int = 3, margin: Int = 4, canvasWidth: Int = 0, canvasHeight: Int = 0) -> GreyImage? {
        guard moduleSize > 0, margin >= 0 else { return nil }
        let codeSize = (matrix.size + 2 * margin) * moduleSize
        let width = max(codeSize, canvasWidth)
        let height = max(codeSize, canvasHeight)
        var pixels = [UInt8](repeating: 255, count: width * height)
        let left = (width - codeSize) / 2 + margin * moduleSize
        let top = (height - codeSize) / 2 + margin * moduleSize
        for row in 0..<matrix.size {
            for column in 0..<matrix.size where matrix.modules[row * matrix.size + column] {
                for y in 0..<moduleSize {
                    let start = (top + row * moduleSize + y) * width + left + column * moduleSize
                    for x in 0..<moduleSize { pixels[start + x] = 0 }
                }
            }
        }
        return try? GreyImage(width: width, height: height, pixels: pixels)
    }
}
