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
