import HealthCredentialsTesting
@testable import CodeScanning
import Imaging
import QREncoding
import Testing

/// The rectifying rung: finder patterns, the code's outline, and a tilted code that zbar alone cannot read,
/// read after rectification with its corners mapped back into the frame.
@Suite("Rectified rung")
struct RectifiedRungTests {
    static let payload = FrameDegradationTests.payload

    /// The code at `moduleSize` px/module, tilted by `keystone` and rotated, on a 1280×720 frame; also its
    /// rendered outer corners (top-left, top-right, bottom-right, bottom-left of the code without its quiet zone).
    static func tilted(
        keystone: Double, rotation: Double = 0, inverted: Bool = false, moduleSize: Int = 4
    ) throws -> (frame: GreyImage, corners: [(x: Double, y: Double)]) {
        let matrix = try #require(QRCodeImage.matrix(payload, errorCorrection: .quartile))
        let code = try #require(QRCodeImage.image(matrix, moduleSize: moduleSize))
        var generator = SplitMix64(seed: 7)
        let degradation = FrameDegradation(rotationDegrees: rotation, keystone: keystone, inverted: inverted)
        let frame = degradation.render(code, canvasWidth: 1280, canvasHeight: 720, centreX: 600, centreY: 350, using: &generator)
        // The rendered picture's corners include the 4-module quiet zone; the code's own corners lie
        // 4 modules in, along the same projective map.
        let placed = FrameDegradation.corners(
            width: Double(code.width), height: Double(code.height), centreX: 600, centreY: 350, keystone: keystone,
            rotationDegrees: rotation)
        let toFrame = try #require(Homography(unitSquareTo: placed))
        let inset = 4.0 / Double(matrix.size + 8)
        let corners = try [(inset, inset), (1 - inset, inset), (1 - inset, 1 - inset), (inset, 1 - inset)].map {
            try #require(toFrame.apply($0.0, $0.1))
        }
        return (frame, corners)
    }

    @Test(arguments: [0.12, 0.25])
    func aTiltedCodeZbarCannotReadIsReadRectified(keystone: Double) throws {
        let (frame, corners) = try Self.tilted(keystone: keystone, rotation: 4)
        #expect(try QRScanner().scan(frame).isEmpty, "zbar alone reads no keystone this strong")
        let result = try ScanCascade(rungs: [.rectified], learns: false).scan(frame)
        #expect(result.rung == .rectified)
        #expect(result.codes.map(\.payload) == [Self.payload])
        // zbar's corners, mapped back, lie on the code's corners in the frame (within two modules).
        let found = try #require(result.codes.first).corners
        #expect(found.count == 4)
        for point in found {
            let distances: [Double] = corners.map { corner in
                let dx = Double(point.x) - corner.x
                let dy = Double(point.y) - corner.y
                return (dx * dx + dy * dy).squareRoot()
            }
            let nearest = distances.min() ?? .infinity
            #expect(nearest < 8, "corner \(point) is \(nearest) px from the code's nearest corner")
        }
    }

    @Test func aTiltedCodeOnADarkScreenIsReadRectified() throws {
        let (frame, _) = try Self.tilted(keystone: 0.2, inverted: true)
        let result = try ScanCascade(rungs: [.rectified], learns: false).scan(frame)
        #expect(result.codes.map(\.payload) == [Self.payload])
    }

    @Test(arguments: [0.0, 90.0, 180.0, 270.0])
    func finderPatternsAreFoundAndOrderedByTheCodesOwnOrientation(rotation: Double) throws {
        let (frame, corners) = try Self.tilted(keystone: 0, rotation: rotation)
        let finders = try #require(FinderPatterns.find(in: LocalThreshold(frame)))
        // Each finder's centre lies 3.5 modules in from its code corner, along the diagonal.
        let size = Double(try #require(QRCodeImage.matrix(Self.payload, errorCorrection: .quartile)).size)
        let expectations = [(finders.topLeft, 0, 2), (finders.topRight, 1, 3), (finders.bottomLeft, 3, 1)]
        for (pattern, cornerIndex, oppositeIndex) in expectations {
            let corner = corners[cornerIndex], opposite = corners[oppositeIndex]
            let fraction = 3.5 / size
            let expectedX = corner.x + (opposite.x - corner.x) * fraction
            let expectedY = corner.y + (opposite.y - corner.y) * fraction
            #expect(abs(pattern.x - expectedX) < 1.5 && abs(pattern.y - expectedY) < 1.5, "rotation \(rotation)")
            #expect(abs(pattern.moduleSize - 4) < 0.5)
        }
        let outline = try #require(CodeOutline.find(finders, in: LocalThreshold(frame)))
        for (found, expected) in zip(outline.corners, corners) {
            #expect(abs(found.x - expected.x) < 6 && abs(found.y - expected.y) < 6, "rotation \(rotation)")
        }
    }

    @Test func aFrameWithoutACodeGivesTheRungNothingToScan() throws {
        var generator = SplitMix64(seed: 3)
        let noise = try GreyImage(width: 640, height: 480, pixels: (0..<(640 * 480)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        for frame in [ScanCascadeTests.blank, noise] {
            #expect(ScanRung.rectified.picture(of: frame) { frame.halved() } == nil)
            let result = try ScanCascade(rungs: [.rectified], learns: false).scan(frame)
            #expect(result.codes.isEmpty && result.attempts.map(\.codeCount) == [0])
        }
    }

    @Test func onlyAFrameBlurredAlongOneAxisIsDeblurred() throws {
        let frame = try ScanCascadeTests.frame(moduleSize: 4)
        #expect(ScanRung.reducedDeblurred.picture(of: frame) { frame.halved() } == nil, "a sharp code is not deblurred")
        let smeared = frame.motionBlurred(length: 9, degrees: 0)
        let picture = try #require(ScanRung.reducedDeblurred.picture(of: smeared) { smeared.halved() })
        #expect(picture.image.pixels == smeared.halved().sharpened(alongRows: true, distance: 2).pixels)
    }
}
