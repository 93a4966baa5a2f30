import Foundation
import Frames
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import QREncoding
import ScanPipeline
import SystemCalls

/// Frames and credentials made in code: a test issuer signs HC1 payloads, libqrencode draws them.
enum Fixtures {
    static let width = 640
    static let height = 480
    static let moduleSize = 4

    /// One issuer for the whole test run (key generation is the slow part).
    static let issuer: TestIssuer = {
        do { return try TestIssuer() } catch { fatalError("cannot make a test issuer: \(error)") }
    }()

    static let payloadA: String = hc1(TestCredential(type: .vaccination))
    static let payloadB: String = hc1(TestCredential(type: .recovery))

    static func hc1(_ credential: TestCredential) -> String {
        do { return try issuer.hc1(credential) } catch { fatalError("cannot sign: \(error)") }
    }

    static func codeImage(_ payload: String) -> GreyImage {
        guard
            let image = QRCodeImage.image(
                Array(payload.utf8), moduleSize: moduleSize, canvasWidth: width, canvasHeight: height)
        else { fatalError("payload does not fit a QR code") }
        return image
    }

    static let readableA = codeImage(payloadA)
    static let readableB = codeImage(payloadB)

    static let blank: GreyImage = image(pixels: [UInt8](repeating: 200, count: width * height))

    /// The code with its right 40 % painted over, as when it is still entering the field of view.
    static let partialA: GreyImage = {
        var pixels = readableA.pixels
        let cut = width / 2 + 20
        for row in 0..<height {
            for column in cut..<width { pixels[row * width + column] = 255 }
        }
        return image(pixels: pixels)
    }()

    /// The code under a heavy box blur, as when it is moving or out of focus.
    static let blurredA: GreyImage = boxBlur(readableA, radius: 2 * moduleSize)

    static func image(pixels: [UInt8]) -> GreyImage {
        do { return try GreyImage(width: width, height: height, pixels: pixels) } catch { fatalError("\(error)") }
    }

    static func boxBlur(_ source: GreyImage, radius: Int) -> GreyImage {
        func pass(_ input: [UInt8], horizontal: Bool) -> [UInt8] {
            var output = input
            for row in 0..<height {
                for column in 0..<width {
                    var sum = 0
                    var count = 0
                    for offset in -radius...radius {
                        let x = horizontal ? column + offset : column
                        let y = horizontal ? row : row + offset
                        guard x >= 0, x < width, y >= 0, y < height else { continue }
                        sum += Int(input[y * width + x])
                        count += 1
                    }
                    output[row * width + column] = UInt8(sum / count)
                }
            }
            return output
        }
        return image(pixels: pass(pass(source.pixels, horizontal: true), horizontal: false))
    }

    static func frame(_ image: GreyImage, sequence: UInt64, at milliseconds: UInt64) -> Frame {
        Frame(image: image, sequence: sequence, captured: instant(milliseconds: milliseconds))
    }

    static func instant(milliseconds: UInt64) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: 1_000_000_000_000 + milliseconds * 1_000_000)
    }

    /// The decide callback the daemon will use: HC1Verifier over the test issuer's trust list.
    static let verifier = HC1Verifier(trustList: issuer.trustList)

    static func verify(_ payload: [UInt8]) -> Decision {
        Decision(verifier.verify(payload: payload, in: VerificationContext(now: TestCredential.validAt)))
    }

    /// A binary PGM file's bytes.
    static func pgm(_ image: GreyImage) -> [UInt8] {
        Array("P5\n\(image.width) \(image.height)\n255\n".utf8) + packed(image)
    }

    static func packed(_ image: GreyImage) -> [UInt8] {
        var bytes: [UInt8] = []
        for row in 0..<image.height {
            bytes += image.pixels[(row * image.bytesPerRow)..<(row * image.bytesPerRow + image.width)]
        }
        return bytes
    }
}
