import HealthCredentialsTesting
import Imaging
import Testing

/// The aiming figures against straightforward reference implementations (Doubles, two passes, pixel by pixel
/// through the stride), on random, flat, tiny and padded images.
@Suite("GreyImage statistics")
struct GreyImageStatisticsTests {
    /// `width × height` random levels in rows of `stride` bytes, the padding filled with 0xEE (never read).
    static func randomImage(width: Int, height: Int, stride: Int, seed: UInt64, levels: ClosedRange<UInt8> = 0...255) throws -> GreyImage {
        var generator = SplitMix64(seed: seed)
        var pixels = [UInt8](repeating: 0xEE, count: stride * height)
        for y in 0..<height {
            for x in 0..<width { pixels[y * stride + x] = UInt8.random(in: levels, using: &generator) }
        }
        return try GreyImage(width: width, height: height, bytesPerRow: stride, pixels: pixels)
    }

    static func level(_ image: GreyImage, _ x: Int, _ y: Int) -> Double { Double(image.pixels[y * image.bytesPerRow + x]) }

    static func referenceLaplacianVariance(_ image: GreyImage) -> Double {
        guard image.width >= 3, image.height >= 3 else { return 0 }
        var responses: [Double] = []
        for y in 1..<(image.height - 1) {
            for x in 1..<(image.width - 1) {
                responses.append(
                    level(image, x, y - 1) + level(image, x, y + 1) + level(image, x - 1, y) + level(image, x + 1, y) - 4 * level(image, x, y))
            }
        }
        let mean = responses.reduce(0, +) / Double(responses.count)
        return responses.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(responses.count)
    }

    static func referenceExposure(_ image: GreyImage) -> (mean: Double, dark: Int, bright: Int) {
        var sum = 0.0
        var dark = 0
        var bright = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let value = level(image, x, y)
                sum += value
                if value <= 2 { dark += 1 }
                if value >= 253 { bright += 1 }
            }
        }
        return (sum / Double(image.width * image.height), dark, bright)
    }

    @Test(arguments: [(64, 48, 64), (37, 19, 41), (3, 3, 3), (1280, 720, 1280), (4100, 4, 4103), (200, 1, 203), (2, 9, 5)])
    func matchTheReferenceOnRandomImages(width: Int, height: Int, stride: Int) throws {
        let image = try Self.randomImage(width: width, height: height, stride: stride, seed: UInt64(width * 1000 + height))
        let reference = Self.referenceLaplacianVariance(image)
        #expect(abs(image.laplacianVariance() - reference) <= 1e-6 * max(reference, 1))
        let exposure = image.exposure()
        let expected = Self.referenceExposure(image)
        #expect(exposure.pixelCount == width * height)
        #expect(abs(exposure.meanLevel - expected.mean) < 1e-9)
        #expect(exposure.darkClipped == expected.dark && exposure.brightClipped == expected.bright)
        #expect(abs(exposure.clippedShare - Double(expected.dark + expected.bright) / Double(width * height)) < 1e-12)
    }

    /// A black and white checkerboard gives the largest responses (±1020): rows wider than one 32-bit partial
    /// sum (``GreyImage/laplacianChunk``) must not overflow.
    @Test func theLargestResponsesOverWideRowsDoNotOverflow() throws {
        let width = 2 * 2048 + 7
        let pixels = (0..<(width * 5)).map { index in UInt8((index % width + index / width) % 2 == 0 ? 0 : 255) }
        let image = try GreyImage(width: width, height: 5, pixels: pixels)
        let reference = Self.referenceLaplacianVariance(image)
        #expect(abs(reference - 1020 * 1020) < 1)  // responses of ±1020, their mean all but 0
        #expect(abs(image.laplacianVariance() - reference) < 1e-9 * reference)
    }

    @Test func aFlatImageHasNoSharpnessAndItsLevelAsMean() throws {
        for level: UInt8 in [0, 2, 3, 128, 252, 253, 255] {
            let image = try GreyImage(width: 16, height: 8, pixels: [UInt8](repeating: level, count: 128))
            #expect(image.laplacianVariance() == 0)
            let exposure = image.exposure()
            #expect(exposure.meanLevel == Double(level))
            #expect(exposure.darkClipped == (level <= 2 ? 128 : 0))
            #expect(exposure.brightClipped == (level >= 253 ? 128 : 0))
        }
    }

    /// Blurring a random image (a 3×3 box) lowers the figure a lot: what a technician turning the focus sees.
    @Test func blurLowersSharpness() throws {
        let sharp = try Self.randomImage(width: 96, height: 64, stride: 96, seed: 7)
        var blurred = sharp.pixels
        for y in 1..<63 {
            for x in 1..<95 {
                var sum = 0
                for dy in -1...1 { for dx in -1...1 { sum += Int(sharp.pixels[(y + dy) * 96 + x + dx]) } }
                blurred[y * 96 + x] = UInt8(sum / 9)
            }
        }
        let blurredImage = try GreyImage(width: 96, height: 64, pixels: blurred)
        #expect(blurredImage.laplacianVariance() * 10 < sharp.laplacianVariance())
    }
}
