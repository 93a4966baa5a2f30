import Imaging
import Testing

/// The rectifying rung's geometry (the square-to-quadrilateral homography, warping by it) and its smoothing; the
/// motion-blur rung's axis sums and one-axis sharpening; each against a straightforward reference.
@Suite("Homography, warping, smoothing and motion-blur operations")
struct WarpTests {
    static let quad: [(x: Double, y: Double)] = [(102.5, 40), (391, 61.25), (420, 377), (80, 350.5)]

    @Test func theUnitSquareMapsOntoTheGivenCorners() throws {
        let h = try #require(Homography(unitSquareTo: Self.quad))
        for (corner, expected) in zip([(0.0, 0.0), (1, 0), (1, 1), (0, 1)], Self.quad) {
            let mapped = try #require(h.apply(corner.0, corner.1))
            #expect(abs(mapped.x - expected.x) < 1e-9 && abs(mapped.y - expected.y) < 1e-9)
        }
        // A projective map keeps straight lines straight: the square's centre goes to the diagonals' crossing.
        let centre = try #require(h.apply(0.5, 0.5))
        let (p0, p1, p2, p3) = (Self.quad[0], Self.quad[1], Self.quad[2], Self.quad[3])
        let cross1 = (centre.x - p0.x) * (p2.y - p0.y) - (centre.y - p0.y) * (p2.x - p0.x)
        let cross2 = (centre.x - p1.x) * (p3.y - p1.y) - (centre.y - p1.y) * (p3.x - p1.x)
        #expect(abs(cross1) < 1e-6 && abs(cross2) < 1e-6)
    }

    @Test func inverseAndCompositionUndoEachOther() throws {
        let h = try #require(Homography(unitSquareTo: Self.quad))
        let inverse = try #require(h.inverse)
        for point in [(0.25, 0.75), (0.9, 0.1), (2.0, -1.0)] {
            let there = try #require(h.apply(point.0, point.1))
            let back = try #require(inverse.apply(there.x, there.y))
            #expect(abs(back.x - point.0) < 1e-9 && abs(back.y - point.1) < 1e-9)
            let composed = try #require(h.after(.scaling(2, thenMoving: 0.5, -0.25)).apply(point.0, point.1))
            let stepwise = try #require(h.apply(2 * point.0 + 0.5, 2 * point.1 - 0.25))
            #expect(abs(composed.x - stepwise.x) < 1e-9 && abs(composed.y - stepwise.y) < 1e-9)
        }
    }

    @Test func collinearCornersHaveNoHomography() {
        #expect(Homography(unitSquareTo: [(0, 0), (1, 1), (2, 2), (0, 5)]) == nil)
        #expect(Homography(unitSquareTo: [(0, 0), (1, 0)]) == nil)
    }

    @Test func warpingByTheIdentityCopiesAndByAShiftSamplesBilinearly() throws {
        for image in try PreprocessingReferenceTests.randomImages(count: 12) {
            let copy = try #require(image.warped(width: image.width, height: image.height, sampling: Homography.scaling(1, thenMoving: 0, 0)))
            #expect(copy.pixels == PreprocessingReferenceTests.packed(image))
            guard image.width >= 2 else { continue }
            // Half a pixel to the right: the mean of each pixel and its right neighbour (the last column repeats).
            let shifted = try #require(
                image.warped(width: image.width, height: image.height, sampling: Homography.scaling(1, thenMoving: 0.5, 0)))
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let left = PreprocessingReferenceTests.pixel(image, x, y)
                    let right = PreprocessingReferenceTests.pixel(image, min(x + 1, image.width - 1), y)
                    let expected = Int((Double(left) + (Double(right) - Double(left)) * 0.5 + 0.5).rounded(.down))
                    #expect(Int(shifted.pixels[y * image.width + x]) == expected)
                }
            }
        }
    }

    @Test func aTransformThroughInfinityClampsInsteadOfTrapping() throws {
        let image = try #require(PreprocessingReferenceTests.randomImages(count: 8).last)
        // w = 0 along the line x = 10.5: points there go to infinity, and 0 · ∞ must not reach Int(_:).
        let degenerate = Homography(matrix: [1, 0, 0, 0, 1, 0, -1, 0, 10.5])
        let warped = try #require(image.warped(width: 32, height: 16, sampling: degenerate))
        #expect(warped.width == 32 && warped.height == 16)
        #expect(image.warped(width: 0, height: 5, sampling: degenerate) == nil)
    }

    @Test func gradientSumsMatchTheNeighbourDifferences() throws {
        for image in try PreprocessingReferenceTests.randomImages() {
            var horizontal = 0
            var vertical = 0
            for y in 0..<(image.height - 1) where image.width >= 2 {
                for x in 0..<(image.width - 1) {
                    let pixel = PreprocessingReferenceTests.pixel(image, x, y)
                    horizontal += abs(PreprocessingReferenceTests.pixel(image, x + 1, y) - pixel)
                    vertical += abs(PreprocessingReferenceTests.pixel(image, x, y + 1) - pixel)
                }
            }
            let sums = image.gradientSums()
            #expect(sums.horizontal == horizontal && sums.vertical == vertical, "\(image.width)×\(image.height)")
        }
    }

    @Test func oneAxisSharpeningMatchesItsFormula() throws {
        for image in try PreprocessingReferenceTests.randomImages() {
            for alongRows in [true, false] {
                for distance in [1, 2, 3] {
                    let sharp = image.sharpened(alongRows: alongRows, distance: distance)
                    var expected: [UInt8] = []
                    for y in 0..<image.height {
                        for x in 0..<image.width {
                            let centre = PreprocessingReferenceTests.pixel(image, x, y)
                            let before =
                                alongRows
                                ? PreprocessingReferenceTests.pixel(image, max(x - distance, 0), y)
                                : PreprocessingReferenceTests.pixel(image, x, max(y - distance, 0))
                            let after =
                                alongRows
                                ? PreprocessingReferenceTests.pixel(image, min(x + distance, image.width - 1), y)
                                : PreprocessingReferenceTests.pixel(image, x, min(y + distance, image.height - 1))
                            expected.append(UInt8(min(max(centre + (2 * centre - before - after), 0), 255)))
                        }
                    }
                    #expect(sharp.pixels == expected, "\(image.width)×\(image.height) rows \(alongRows) d \(distance)")
                }
            }
        }
    }

    @Test func smoothingIsTheRoundedMeanOfEachNeighbourhood() throws {
        for image in try PreprocessingReferenceTests.randomImages() {
            let smooth = image.smoothed()
            var expected: [UInt8] = []
            for y in 0..<image.height {
                for x in 0..<image.width {
                    var sum = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            sum += PreprocessingReferenceTests.pixel(
                                image, min(max(x + dx, 0), image.width - 1), min(max(y + dy, 0), image.height - 1))
                        }
                    }
                    expected.append(UInt8((Double(sum) / 9).rounded()))
                }
            }
            #expect(smooth.width == image.width && smooth.bytesPerRow == image.width)
            #expect(smooth.pixels == expected, "\(image.width)×\(image.height) stride \(image.bytesPerRow)")
        }
    }
}
