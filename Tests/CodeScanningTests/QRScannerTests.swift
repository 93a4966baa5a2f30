import HealthCredentialsTesting
@testable import CodeScanning
import Imaging
import Testing

/// Scanner behaviour that needs no corpus: degenerate frames and the buffer-layout decision.
@Suite("QRScanner (self-contained)")
struct QRScannerTests {
    @Test func blankAndTinyImagesYieldNothingAndDoNotCrash() throws {
        let scanner = try QRScanner()
        for (width, height) in [(1, 1), (1, 7), (7, 1), (2, 2), (3, 5), (13, 13), (64, 48)] {
            for fill: UInt8 in [0, 128, 255] {
                let image = try GreyImage(
                    width: width, height: height, pixels: Array(repeating: fill, count: width * height))
                #expect(scanner.scan(image).isEmpty)
            }
        }
    }

    @Test func noiseYieldsNothing() throws {
        var generator = SplitMix64(seed: 7)
        let scanner = try QRScanner()
        for _ in 0..<20 {
            let width = Int.random(in: 1...200, using: &generator)
            let height = Int.random(in: 1...200, using: &generator)
            let pixels = (0..<(width * height)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(scanner.scan(try GreyImage(width: width, height: height, pixels: pixels)).isEmpty)
        }
    }

    @Test func invalidGeometryYieldsNothing() throws {
        let scanner = try QRScanner()
        let bytes = [UInt8](repeating: 0, count: 100)
        bytes.withUnsafeBytes { buffer in
            #expect(scanner.scan(luminance: buffer, width: 0, height: 10, bytesPerRow: 10).isEmpty)
            #expect(scanner.scan(luminance: buffer, width: 10, height: 10, bytesPerRow: 9).isEmpty)
            #expect(scanner.scan(luminance: buffer, width: 10, height: 11, bytesPerRow: 10).isEmpty)
            #expect(scanner.scan(luminance: buffer, width: 10, height: 2, bytesPerRow: Int.max).isEmpty)
            #expect(
                scanner.scan(
                    luminance: UnsafeRawBufferPointer(start: nil, count: 0), width: 1, height: 1, bytesPerRow: 1
                ).isEmpty)
        }
    }

    @Test func layoutScansInPlaceOnlyWithEightByteSlack() throws {
        // 640x480 GREY frame, stride 640: zero-copy.
        let frame = try #require(ZBarFrameLayout(width: 640, height: 480, bytesPerRow: 640, availableBytes: 640 * 480))
        #expect(frame.inPlace && frame.zbarWidth == 640 && frame.cropWidth == 640 && frame.dataLength == 640 * 480)

        // Padded stride: zbar sees the stride and crops to the width.
        let padded = try #require(ZBarFrameLayout(width: 636, height: 480, bytesPerRow: 640, availableBytes: 640 * 480))
        #expect(padded.inPlace && padded.zbarWidth == 640 && padded.cropWidth == 636)

        // 13x13 = 169 bytes: not a multiple of 8, so zbar would overrun its inverted copy; packed copy instead.
        let odd = try #require(ZBarFrameLayout(width: 13, height: 13, bytesPerRow: 13, availableBytes: 169))
        #expect(!odd.inPlace && odd.zbarWidth == 13 && odd.dataLength == 176)

        // Same image with slack in the caller's buffer: in place again.
        let slack = try #require(ZBarFrameLayout(width: 13, height: 13, bytesPerRow: 13, availableBytes: 176))
        #expect(slack.inPlace && slack.dataLength == 176)

        // Last row unpadded: too short for bytesPerRow * height, so packed.
        let short = try #require(ZBarFrameLayout(width: 4, height: 2, bytesPerRow: 8, availableBytes: 12))
        #expect(!short.inPlace && short.zbarWidth == 4 && short.dataLength == 8)

        #expect(ZBarFrameLayout(width: 4, height: 2, bytesPerRow: 8, availableBytes: 11) == nil)
    }
}
