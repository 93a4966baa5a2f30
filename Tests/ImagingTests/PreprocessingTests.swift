import Imaging
import Testing

/// The retry pre-processing steps on hand-made pixels; what each gains on real codes is in CodeScanningTests.
@Suite("GreyImage pre-processing")
struct PreprocessingTests {
    @Test func contrastStretchLeavesAUniformImageAlone() throws {
        let uniform = try GreyImage(width: 16, height: 8, pixels: Array(repeating: 90, count: 128))
        #expect(uniform.contrastStretched().pixels == uniform.pixels)
    }

    @Test func halvingAveragesBlocksAndIgnoresRowPadding() throws {
        // 4×2 pixels in rows of 6 bytes (2 bytes padding, which must not be read).
        let image = try GreyImage(width: 4, height: 2, bytesPerRow: 6, pixels: [0, 4, 10, 20, 255, 255, 8, 12, 30, 40])
        let half = image.halved()
        #expect(half.width == 2 && half.height == 1 && half.bytesPerRow == 2)
        #expect(half.pixels == [6, 25])
    }
}

/// The cascade's image operations (written as vectorisable pointer loops) against straightforward per-pixel
/// reference implementations, on random images with random sizes and row padding.
@Suite("GreyImage pre-processing against references")
struct PreprocessingReferenceTests {
    /// SplitMix64, so every run sees the same images.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomImages(count: Int = 40) throws -> [GreyImage] {
        var generator = Generator(state: 0x1A6E)
        var images: [GreyImage] = []
        for index in 0..<count {
            let width = index < 4 ? [1, 2, 1, 3][index] : Int.random(in: 1...97, using: &generator)
            let height = index < 4 ? [1, 1, 2, 3][index] : Int.random(in: 1...61, using: &generator)
            let stride = width + Int.random(in: 0...9, using: &generator)
            // Mostly wide-ranging levels, sometimes a narrow band (what the contrast stretch is for).
            let low = index % 3 == 0 ? UInt8.random(in: 0...200, using: &generator) : 0
            let high = index % 3 == 0 ? low + UInt8.random(in: 0...40, using: &generator) : 255
            let pixels = (0..<(stride * (height - 1) + width)).map { _ in UInt8.random(in: low...high, using: &generator) }
            images.append(try GreyImage(width: width, height: height, bytesPerRow: stride, pixels: pixels))
        }
        return images
    }

    static func pixel(_ image: GreyImage, _ x: Int, _ y: Int) -> Int { Int(image.pixels[y * image.bytesPerRow + x]) }

    static func packed(_ image: GreyImage) -> [UInt8] {
        (0..<image.height).flatMap { y in (0..<image.width).map { x in UInt8(pixel(image, x, y)) } }
    }

    @Test func halvedMatchesTheBlockMean() throws {
        for image in try Self.randomImages() {
            let half = image.halved()
            var expected: [UInt8] = []
            for y in 0..<max(image.height / 2, 1) {
                for x in 0..<max(image.width / 2, 1) {
                    let xs = [min(2 * x, image.width - 1), min(2 * x + 1, image.width - 1)]
                    let ys = [min(2 * y, image.height - 1), min(2 * y + 1, image.height - 1)]
                    let sum = ys.reduce(0) { total, row in total + xs.reduce(0) { $0 + Self.pixel(image, $1, row) } }
                    expected.append(UInt8((sum + 2) / 4))
                }
            }
            #expect(half.width == max(image.width / 2, 1) && half.height == max(image.height / 2, 1))
            #expect(half.bytesPerRow == half.width)
            #expect(half.pixels == expected, "\(image.width)×\(image.height) stride \(image.bytesPerRow)")
        }
    }

    @Test func sharpenedMatchesTheLaplacianFormula() throws {
        for image in try Self.randomImages() {
            let sharp = image.sharpened()
            var expected: [UInt8] = []
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let centre = Self.pixel(image, x, y)
                    guard x > 0, y > 0, x < image.width - 1, y < image.height - 1 else {
                        expected.append(UInt8(centre))
                        continue
                    }
                    let neighbours =
                        Self.pixel(image, x - 1, y) + Self.pixel(image, x + 1, y) + Self.pixel(image, x, y - 1)
                        + Self.pixel(image, x, y + 1)
                    let value = Int((Double(6 * centre - neighbours) / 2).rounded(.down))
                    expected.append(UInt8(min(max(value, 0), 255)))
                }
            }
            #expect(sharp.width == image.width && sharp.height == image.height && sharp.bytesPerRow == image.width)
            #expect(sharp.pixels == expected, "\(image.width)×\(image.height) stride \(image.bytesPerRow)")
        }
    }

    @Test func contrastStretchMatchesTheClippedLevels() throws {
        for image in try Self.randomImages() {
            let levels = Self.packed(image).map(Int.init).sorted()
            let cut = Int(Double(levels.count) * 0.01)
            // The lowest level with more than `cut` pixels at or below it; the highest with more at or above.
            let low = (0...255).first { level in levels.filter { $0 <= level }.count > cut } ?? 255
            let high = (0...255).reversed().first { level in levels.filter { $0 >= level }.count > cut } ?? 0
            let expected =
                high - low < 2
                ? Self.packed(image)
                : Self.packed(image).map { UInt8(min(max((Int($0) - low) * 255 / (high - low), 0), 255)) }
            #expect(Self.packed(image.contrastStretched()) == expected, "\(image.width)×\(image.height)")
        }
    }
}
