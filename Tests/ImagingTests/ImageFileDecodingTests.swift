import GateCheckTestSupport
import HealthCredentialsTesting
import Imaging
import Testing

/// Self-contained decoding tests: hand-built PGM/PNG/JPEG bytes and hostile inputs.
@Suite("ImageFile.decode")
struct ImageFileDecodingTests {
    /// Asserts that decoding fails with exactly `code`.
    private func expectFailure(
        _ bytes: [UInt8],
        _ code: ImagingError.Code,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectCode(code, sourceLocation: sourceLocation) { () throws(ImagingError) in
            try ImageFile.decode(bytes)
        }
    }

    @Test func binaryPGMWithCommentsDecodesExactly() throws {
        let raster: [UInt8] = [0, 10, 20, 30, 40, 50]
        let bytes = HandBuiltImages.pgm("P5\n# made by hand\n3 # width\n2\n255\n", raster)
        let image = try ImageFile.decode(bytes)
        #expect(image.width == 3)
        #expect(image.height == 2)
        #expect(image.bytesPerRow == 3)
        #expect(image.pixels == raster)
    }

    @Test func binaryPGMRasterMayStartWithAWhitespaceByte() throws {
        // Only ONE whitespace byte separates maxval from the raster; 0x0A and 0x20 here are pixels.
        let raster: [UInt8] = [0x0A, 0x20, 0x09, 0xFF]
        let image = try ImageFile.decode(HandBuiltImages.pgm("P5 2 2 255\n", raster))
        #expect(image.pixels == raster)
    }

    @Test func binaryPGMWithSmallMaxvalIsScaledTo255() throws {
        let image = try ImageFile.decode(HandBuiltImages.pgm("P5 4 1 15\n", [0, 5, 15, 200]))
        #expect(image.pixels == [0, 85, 255, 255])  // out-of-range 200 saturates
    }

    @Test func asciiPGMDecodes() throws {
        let image = try ImageFile.decode(Array("P2\n# ascii\n3 2\n4\n0 1 2\n3 4 0\n".utf8))
        #expect(image.width == 3)
        #expect(image.height == 2)
        #expect(image.pixels == [0, 64, 128, 191, 255, 0])
    }

    @Test func asciiPGMWithSampleAboveMaxvalIsCorrupt() {
        expectFailure(Array("P2 2 1 4 1 5\n".utf8), .corruptImage)
    }

    @Test func truncatedPGMIsCorrupt() {
        expectFailure(HandBuiltImages.pgm("P5 4 4 255\n", [1, 2, 3]), .corruptImage)
        expectFailure(Array("P5 4 4".utf8), .corruptImage)
        expectFailure(Array("P2 2 2 255 1 2 3".utf8), .corruptImage)
        expectFailure(Array("P5\n".utf8), .corruptImage)
    }

    @Test func malformedPGMHeadersAreCorrupt() {
        expectFailure(HandBuiltImages.pgm("P5 0 4 255\n", []), .corruptImage)
        expectFailure(HandBuiltImages.pgm("P5 4 4 0\n", Array(repeating: 0, count: 16)), .corruptImage)
        expectFailure(HandBuiltImages.pgm("P5 4x4 255\n", Array(repeating: 0, count: 16)), .corruptImage)
    }

    @Test func sixteenBitPGMIsUnsupported() {
        expectFailure(HandBuiltImages.pgm("P5 1 1 65535\n", [0, 0]), .unsupportedImageFormat)
    }

    @Test func hugePGMIsRejectedBeforeAllocating() {
        expectFailure(HandBuiltImages.pgm("P5 100000 100000 255\n", [0]), .imageTooLarge)
        expectFailure(HandBuiltImages.pgm("P5 99999999999999999999999 1 255\n", [0]), .imageTooLarge)
        expectFailure(HandBuiltImages.pgm("P5 8193 1 255\n", [0]), .imageTooLarge)
    }

    @Test func emptyInputIsUnsupported() {
        expectFailure([], .unsupportedImageFormat)
    }

    @Test func unknownMagicIsUnsupported() {
        expectFailure(Array("GIF89a".utf8), .unsupportedImageFormat)
        expectFailure(Array("P6 1 1 255\n\0\0\0".utf8), .unsupportedImageFormat)  // colour PPM
        expectFailure([0x89, 0x50, 0x4E], .unsupportedImageFormat)  // a PNG signature cut short
    }

    @Test func randomBytesAreRejectedWithoutCrashing() {
        var generator = SplitMix64(seed: 0x6A7E_C4EC)
        for length in [1, 2, 7, 64, 1000, 100_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            expectFailure(bytes, .unsupportedImageFormat)
        }
        // Random bytes behind each real magic number reach the decoders themselves.
        for magic in [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], Array("P5\n".utf8)]
            as [[UInt8]]
        {
            for _ in 0..<50 {
                let tail = (0..<Int.random(in: 0...512, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                do {
                    _ = try ImageFile.decode(magic + tail)
                } catch {
                    #expect([.corruptImage, .imageTooLarge, .unsupportedImageFormat].contains(error.code), "\(error)")
                }
            }
        }
    }

    @Test func pngHeaderDeclaring100000Squared() {
        expectFailure(HandBuiltImages.pngHeader(width: 100_000, height: 100_000), .imageTooLarge)
    }

    @Test func pngHeaderBeyondEitherLimit() {
        expectFailure(HandBuiltImages.pngHeader(width: 8193, height: 1), .imageTooLarge)
        expectFailure(HandBuiltImages.pngHeader(width: 8000, height: 8000), .imageTooLarge)  // 64 MP > 40 MP
    }

    @Test func pngWithinLimitsButWithoutDataIsCorrupt() {
        // Proves the limit check above is what rejects the big header, not the missing data.
        expectFailure(HandBuiltImages.pngHeader(width: 100, height: 100), .corruptImage)
    }

    @Test func truncatedPNGIsCorrupt() {
        let header = HandBuiltImages.pngHeader(width: 100, height: 100)
        for length in [9, 16, 20, 33] {
            expectFailure(Array(header.prefix(length)), .corruptImage)
        }
    }

    @Test func jpegHeaderDeclaringHugeSizeIsTooLarge() {
        expectFailure(HandBuiltImages.jpegHeader(width: 60000, height: 60000), .imageTooLarge)
        expectFailure(HandBuiltImages.jpegHeader(width: 8193, height: 8), .imageTooLarge)
    }

    @Test func truncatedJPEGIsCorrupt() {
        let header = HandBuiltImages.jpegHeader(width: 64, height: 64)
        expectFailure(header, .corruptImage)  // no tables, no entropy data
        for length in [3, 4, 8, 15] {
            expectFailure(Array(header.prefix(length)), .corruptImage)
        }
    }

    @Test func oversizedBufferIsRefusedUnread() {
        let bytes = [UInt8](repeating: 0, count: ImageFile.maximumFileSize + 1)
        expectFailure(bytes, .fileTooLarge)
    }
}
