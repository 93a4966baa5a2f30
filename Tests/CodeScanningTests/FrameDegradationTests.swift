import CodeScanning
import HealthCredentialsTesting
import Imaging
import QREncoding
import Testing

/// The degraded-frame generator (QREncoding) and the retry pre-processing steps (Imaging) that
/// `gatecheck-bench --scan` uses: geometry, determinism, and one gain each step is for. The steps' pixel
/// arithmetic without a scanner is in ImagingTests.
@Suite("Frame degradation and pre-processing")
struct FrameDegradationTests {
    /// A ~300-character HC1-shaped payload from the Base45 alphabet, the same on every run.
    static let payload: [UInt8] = {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
        var generator = SplitMix64(seed: 0xF4A3)
        return Array("HC1:".utf8) + (0..<300).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
    }()

    static func frame(moduleSize: Int = 4) throws -> GreyImage {
        try #require(QRCodeImage.image(payload, moduleSize: moduleSize, canvasWidth: 640, canvasHeight: 480))
    }

    @Test func rotationByZeroIsIdentity() throws {
        let frame = try Self.frame()
        #expect(frame.rotated(degrees: 0).pixels == frame.pixels)
    }

    @Test func rotatedFrameStillDecodes() throws {
        let rotated = try Self.frame().rotated(degrees: 30)
        #expect(rotated.width == 640 && rotated.height == 480)
        #expect(try QRScanner().scan(rotated).first?.payload == Self.payload)
    }

    @Test func renderingIsDeterministicForASeed() throws {
        let code = try #require(QRCodeImage.image(Self.payload, moduleSize: 3))
        let degradation = FrameDegradation(
            rotationDegrees: 12, keystone: 0.1, blurRadius: 1, noiseSigma: 10, contrast: 40...200, inverted: true)
        func render(seed: UInt64) -> [UInt8] {
            var generator = SplitMix64(seed: seed)
            return degradation.render(
                code, canvasWidth: 640, canvasHeight: 480, centreX: 300.5, centreY: 250, using: &generator
            ).pixels
        }
        let first = render(seed: 42)
        #expect(first.count == 640 * 480)
        #expect(render(seed: 42) == first)
        #expect(render(seed: 43) != first)
    }

    @Test func inversionAndContrastReduction() throws {
        let frame = try Self.frame()
        #expect(frame.inverted().inverted().pixels == frame.pixels)
        let flat = frame.contrastReduced(to: 100...160)
        #expect(flat.pixels.min() == 100 && flat.pixels.max() == 160)
    }

    @Test func contrastStretchRecoversAVeryFlatCode() throws {
        var generator = SplitMix64(seed: 1)
        let flat = FrameDegradation(contrast: 127...133).render(
            try Self.frame(), canvasWidth: 640, canvasHeight: 480, centreX: 320, centreY: 240, using: &generator)
        let scanner = try QRScanner()
        #expect(scanner.scan(flat).isEmpty)  // zbar's edge thresholds miss a 6-level code
        let stretched = flat.contrastStretched()
        #expect(stretched.pixels.min() == 0 && stretched.pixels.max() == 255)
        #expect(scanner.scan(stretched).first?.payload == Self.payload)
    }

    @Test func halvedLargeCodeStillDecodes() throws {
        let large = try #require(QRCodeImage.image(Self.payload, moduleSize: 6, canvasWidth: 1280, canvasHeight: 720))
        let half = large.halved()
        #expect(half.width == 640 && half.height == 360)
        #expect(try QRScanner().scan(half).first?.payload == Self.payload)
    }

    @Test func doubledCodeDecodesAtTwiceTheSize() throws {
        let small = try Self.frame(moduleSize: 2)
        let doubled = try #require(small.doubled())
        #expect(doubled.width == 1280 && doubled.height == 960)
        let codes = try QRScanner().scan(doubled)
        #expect(codes.first?.payload == Self.payload)
        // Corners land at about twice their original positions.
        let original = try QRScanner().scan(small)
        if let before = original.first?.corners.first, let after = codes.first?.corners.first {
            #expect(abs(after.x - 2 * before.x) <= 3 && abs(after.y - 2 * before.y) <= 3)
        }
    }
}
