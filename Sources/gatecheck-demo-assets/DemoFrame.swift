import Imaging
import QREncoding

/// Draws a payload as a camera would see it: a 640×480 grey frame with the code centred on a
/// light screen against a darker surround, at lower than full contrast.
///
/// Square to the frame, without blur or sensor noise: a tilt alone makes the committed PNGs four
/// times larger (every module edge becomes a grey ramp), and the frames must decode on every run.
enum DemoFrame {
    static let width = 640
    static let height = 480
    /// The code with its quiet zone fills at most this many pixels of the frame's 480 rows.
    static let targetCodeSide = 400
    /// Grey of the surroundings (counter, hand, phone body) before the contrast reduction.
    static let surroundingGrey: UInt8 = 110
    /// Black and white as a camera records a screen: neither reaches the ends of the range.
    static let recordedRange = 24...232

    static func render(_ payload: String) throws -> GreyImage {
        // Mode-optimised (alphanumeric for HC1) with ECC Q, as DCC issuers print them.
        guard let matrix = QRCodeImage.matrix(text: payload, errorCorrection: .quartile) else {
            throw DemoAssetsError("payload of \(payload.utf8.count) bytes does not fit a QR code")
        }
        let margin = 4
        // Whole pixels per module keep every edge sharp; at least 3 for a reliable read.
        let moduleSize = min(8, max(3, targetCodeSide / (matrix.size + 2 * margin)))
        guard let code = QRCodeImage.image(matrix, moduleSize: moduleSize, margin: margin), code.width <= width, code.height <= height
        else { throw DemoAssetsError("cannot draw the QR code within \(width)×\(height)") }

        var pixels = [UInt8](repeating: surroundingGrey, count: width * height)
        let left = (width - code.width) / 2
        let top = (height - code.height) / 2
        for row in 0..<code.height {
            let source = row * code.bytesPerRow
            let destination = (top + row) * width + left
            pixels.replaceSubrange(destination..<(destination + code.width), with: code.pixels[source..<(source + code.width)])
        }
        return try GreyImage(width: width, height: height, pixels: pixels).contrastReduced(to: recordedRange)
    }

    /// `frame` centred on a white `width`×`height` canvas as packed YUYV (4:2:2, grey: U = V = 128), the
    /// format vivid's HDMI output takes.
    static func yuyv(_ frame: GreyImage, width: Int, height: Int) -> [UInt8] {
        var luma = [UInt8](repeating: 255, count: width * height)
        let left = max(0, (width - frame.width) / 2)
        let top = max(0, (height - frame.height) / 2)
        for row in 0..<min(frame.height, height) {
            for column in 0..<min(frame.width, width) {
                luma[(top + row) * width + left + column] = frame.pixels[row * frame.bytesPerRow + column]
            }
        }
        var bytes = [UInt8](repeating: 128, count: width * height * 2)
        for index in 0..<(width * height) { bytes[index * 2] = luma[index] }
        return bytes
    }
}
