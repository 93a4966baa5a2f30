import CodeScanning
import HealthCredentialsTesting
import Imaging
import Testing

/// End-to-end decoding of real DCC samples from the shared corpus (skipped, with a notice, when it is absent).
@Suite("QRScanner on the corpus", .enabled(if: TestCorpus.isAvailable, "shared corpus not found; see the NOTICE above"))
struct CorpusScanTests {
    private func scanText(_ image: GreyImage) throws -> [String?] {
        try QRScanner().scan(image).map(\.text)
    }

    @Test func vietnameseSampleDecodesToItsHC1Text() throws {
        let expected = try TestCorpus.text(TestCorpus.vietnameseText)
        #expect(expected.hasPrefix("HC1:"))
        let image = try ImageFile.load(contentsOf: TestCorpus.path(TestCorpus.vietnameseSample))
        let codes = try QRScanner().scan(image)
        #expect(codes.count == 1)
        #expect(codes.first?.text == expected)
        #expect(codes.first?.payload == Array(expected.utf8))
    }

    @Test func spuriousI25SampleYieldsExactlyTheQRCode() throws {
        // With every symbology enabled zbar also reports an Interleaved 2 of 5 symbol "472402" here.
        let expected = try TestCorpus.text(TestCorpus.spuriousI25Text)
        let image = try ImageFile.load(contentsOf: TestCorpus.path(TestCorpus.spuriousI25Sample))
        let codes = try QRScanner().scan(image)
        #expect(codes.map(\.text) == [expected])
        let corners = try #require(codes.first?.corners)
        #expect(corners.count == 4)
        // This code touches the image border; zbar places its corners up to a pixel outside.
        for corner in corners {
            #expect((-2...(image.width + 1)).contains(corner.x) && (-2...(image.height + 1)).contains(corner.y))
        }
    }

    @Test func jpegFromTheCorpusLoadsAndDecodes() throws {
        let image = try ImageFile.load(contentsOf: TestCorpus.path(TestCorpus.smartHealthCardJPEG))
        #expect(image.width > 0 && image.height > 0)
        let texts = try scanText(image)
        #expect(texts.count == 1)
        #expect(texts.first??.hasPrefix("shc:/") == true)
    }

    @Test func largePhoneScreenshotJPEGLoads() throws {
        let image = try ImageFile.load(contentsOf: TestCorpus.path(TestCorpus.cyprusScreenshotJPEG))
        #expect(image.width == 1080)
        #expect(image.height == 2246)
        #expect(image.pixels.count == 1080 * 2246)
    }

    @Test func invertedImageStillDecodes() throws {
        let expected = try TestCorpus.text(TestCorpus.vietnameseText)
        let image = try ImageFile.load(contentsOf: TestCorpus.path(TestCorpus.vietnameseSample))
        let inverted = try GreyImage(width: image.width, height: image.height, pixels: image.pixels.map { 255 - $0 })
        #expect(try scanText(inverted) == [expected])
    }

    /// Same payloads; corners may move by a pixel when the code touches the right edge, because zbar's QR
    /// binariser sees the padding bytes beside it (only the line scanners honour the crop).
    private func expectSameCodes(
        _ actual: [ScannedCode],
        _ reference: [ScannedCode],
        _ comment: Comment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.map(\.payload) == reference.map(\.payload), comment, sourceLocation: sourceLocation)
        for (code, expected) in zip(actual, reference) {
            #expect(code.corners.count == expected.corners.count, comment, sourceLocation: sourceLocation)
            for (corner, expectedCorner) in zip(code.corners, expected.corners) {
                #expect(
                    abs(corner.x - expectedCorner.x) <= 1 && abs(corner.y - expectedCorner.y) <= 1, comment,
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [TestCorpus.vietnameseSample, TestCorpus.spuriousI25Sample])
    func paddedRowsDecodeLikeUnpadded(sample: String) throws {
        let image = try ImageFile.load(contentsOf: TestCorpus.path(sample))
        let scanner = try QRScanner()
        let reference = scanner.scan(image)
        #expect(reference.count == 1)

        // Re-pad with noise in the padding, as an uninitialised V4L2 buffer might have.
        var generator = SplitMix64(seed: 42)
        for extra in [1, 3, 13, 64] {
            let stride = image.width + extra
            var padded = (0..<(stride * image.height)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for y in 0..<image.height {
                padded.replaceSubrange(
                    (y * stride)..<(y * stride + image.width),
                    with: image.pixels[(y * image.width)..<(y * image.width + image.width)]
                )
            }
            // Full last row: zbar reads the caller's memory in place.
            let inPlace = try GreyImage(width: image.width, height: image.height, bytesPerRow: stride, pixels: padded)
            expectSameCodes(scanner.scan(inPlace), reference, "stride \(stride), in place")

            // Unpadded last row: the scanner falls back to a packed copy.
            let trimmed = Array(padded.prefix(stride * (image.height - 1) + image.width))
            let copied = try GreyImage(width: image.width, height: image.height, bytesPerRow: stride, pixels: trimmed)
            #expect(scanner.scan(copied) == reference, "stride \(stride), copied: identical, padding is dropped")
        }
    }
}
