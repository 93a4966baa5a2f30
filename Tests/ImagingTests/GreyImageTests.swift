import GateCheckTestSupport
import Imaging
import Testing

@Suite("GreyImage")
struct GreyImageTests {
    @Test func paddedRowsAreAcceptedAndTheLastRowNeedNotBePadded() throws {
        // 3x2 pixels, stride 5: two padding bytes after the first row only.
        let pixels: [UInt8] = [1, 2, 3, 0xEE, 0xEE, 4, 5, 6]
        let image = try GreyImage(width: 3, height: 2, bytesPerRow: 5, pixels: pixels)
        #expect(image.bytesPerRow == 5)
        #expect(image.pixels == pixels)
    }

    @Test func defaultStrideIsTheWidth() throws {
        let image = try GreyImage(width: 2, height: 2, pixels: [1, 2, 3, 4])
        #expect(image.bytesPerRow == 2)
    }

    @Test func paddedPGMRowsMatchTheUnpaddedImage() throws {
        // Re-pad a decoded PGM the way a V4L2 driver would, then compare pixel by pixel through the stride.
        let raster: [UInt8] = Array(0..<12)
        let packed = try ImageFile.decode(HandBuiltImages.pgm("P5 4 3 255\n", raster))
        let stride = 7
        var padded = [UInt8](repeating: 0xAA, count: stride * packed.height)
        for y in 0..<packed.height {
            for x in 0..<packed.width {
                padded[y * stride + x] = packed.pixels[y * packed.bytesPerRow + x]
            }
        }
        let image = try GreyImage(width: 4, height: 3, bytesPerRow: stride, pixels: padded)
        for y in 0..<3 {
            for x in 0..<4 {
                #expect(image.pixels[y * image.bytesPerRow + x] == raster[y * 4 + x])
            }
        }
    }

    @Test func nonPositiveSizesAreCorrupt() {
        expectCode(.corruptImage) { () throws(ImagingError) in try GreyImage(width: 0, height: 1, pixels: [0]) }
        expectCode(.corruptImage) { () throws(ImagingError) in try GreyImage(width: 1, height: -1, pixels: [0]) }
    }

    @Test func strideBelowWidthIsCorrupt() {
        expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 4, height: 1, bytesPerRow: 3, pixels: [0, 0, 0, 0])
        }
    }

    @Test func tooFewBytesAreCorrupt() {
        expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 2, height: 2, pixels: [0, 0, 0])
        }
        expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 2, height: 2, bytesPerRow: 4, pixels: [0, 0, 0, 0, 0])
        }
        expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 2, height: 2, bytesPerRow: Int.max, pixels: [0, 0, 0, 0])
        }
    }

    @Test func oversizedImagesAreRefused() {
        expectCode(.imageTooLarge) { () throws(ImagingError) in try GreyImage(width: 8193, height: 1, pixels: []) }
        expectCode(.imageTooLarge) { () throws(ImagingError) in
            try GreyImage(width: 8000, height: 8000, pixels: [])
        }
    }

    @Test func errorsCompareByCodeOnly() {
        let first = expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 0, height: 1, pixels: [])
        }
        let second = expectCode(.corruptImage) { () throws(ImagingError) in
            try GreyImage(width: 1, height: 1, pixels: [])
        }
        #expect(first != nil && first == second)
        #expect(first?.description != second?.description)
        #expect(first?.hashValue == second?.hashValue)
        #expect(ImagingError.Code.corruptImage != .imageTooLarge)
        #expect("\(ImagingError.Code.imageTooLarge)" == "imageTooLarge")
    }
}
