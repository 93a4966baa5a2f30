import HealthCredentialsTesting
@testable import CodeScanning
import Imaging
import QREncoding
import SystemCalls
import Testing

/// The scan cascade: first code wins, the budget (on an injected clock, so nothing here depends on timing),
/// the learned start rung and positions mapped back from the reduced copy.
@Suite("Scan cascade")
struct ScanCascadeTests {
    /// A clock that moves on by `step` every time it is read: each rung appears to cost one step.
    final class SteppingClock: @unchecked Sendable {
        // Unchecked: the cascade reads it from the test's own thread only.
        var nanoseconds: UInt64 = 1_000_000_000
        let step: Duration
        init(step: Duration) { self.step = step }
        var clock: MonotonicClock {
            MonotonicClock(
                now: {
                    defer { self.nanoseconds += UInt64(self.step.clampedNanoseconds) }
                    return MonotonicInstant(nanoseconds: self.nanoseconds)
                },
                sleep: { _ in })
        }
    }

    static let payload = FrameDegradationTests.payload
    /// The plain rungs before the rescues, so the budget arithmetic below reads simply.
    static let plainFirst: [ScanRung] = [.reduced, .full, .reducedSharpened, .sharpened, .stretched]

    static func frame(moduleSize: Int) throws -> GreyImage {
        try #require(QRCodeImage.image(payload, moduleSize: moduleSize, canvasWidth: 640, canvasHeight: 480))
    }

    static let blank: GreyImage = {
        guard let image = try? GreyImage(width: 640, height: 480, pixels: Array(repeating: 200, count: 640 * 480)) else {
            fatalError("blank frame")
        }
        return image
    }()

    @Test func aClearCodeIsReadOnTheReducedCopyAlone() throws {
        let cascade = try ScanCascade()
        let result = cascade.scan(try Self.frame(moduleSize: 4))
        #expect(result.codes.map(\.payload) == [Self.payload])
        #expect(result.rung == .reduced)
        #expect(result.attempts.map(\.rung) == [.reduced])
        #expect(!result.budgetExhausted)
    }

    /// The camera rungs without the rectifying one, which also reads the 1 px/module code these tests escalate with.
    static let withoutRectifying = ScanCascade.cameraRungs.filter { $0 != .rectified }

    @Test func aSmallCodeEscalatesToTheFullFrameAndStopsThere() throws {
        let cascade = try ScanCascade(rungs: Self.withoutRectifying, budget: .seconds(10))
        let result = cascade.scan(try Self.frame(moduleSize: 1))
        #expect(result.codes.map(\.payload) == [Self.payload])
        #expect(result.rung == .full)
        #expect(result.attempts.map(\.rung) == [.reduced, .reducedSharpened, .reducedDeblurred, .full])
        #expect(result.attempts.map(\.codeCount) == [0, 0, 0, 1])
    }

    @Test func aOnePixelPerModuleCodeIsReadRectifiedAtThreeTimesItsSize() throws {
        let result = try ScanCascade(budget: .seconds(10)).scan(try Self.frame(moduleSize: 1))
        #expect(result.codes.map(\.payload) == [Self.payload])
        #expect(result.rung == .rectified)
        #expect(result.attempts.map(\.rung) == [.reduced, .reducedSharpened, .rectified])
    }

    @Test func anEmptyFrameTriesEveryRungWithinAGenerousBudget() throws {
        let cascade = try ScanCascade(budget: .seconds(10))
        let result = cascade.scan(Self.blank)
        #expect(result.codes.isEmpty && result.rung == nil)
        #expect(result.attempts.map(\.rung) == ScanCascade.cameraRungs)
        #expect(!result.budgetExhausted)
    }

    @Test func theBudgetStopsTheCascade() throws {
        // Every rung appears to cost 20 ms; the budget is 50 ms.
        let time = SteppingClock(step: .milliseconds(20))
        let cascade = try ScanCascade(rungs: Self.plainFirst, budget: .milliseconds(50), clock: time.clock)
        // First frame: no estimates yet, so a rung starts whenever time is left: reduced (20 ms), full (40 ms),
        // reduced-sharpened (60 ms); then the budget is spent.
        let first = cascade.scan(Self.blank)
        #expect(first.attempts.map(\.rung) == [.reduced, .full, .reducedSharpened])
        #expect(first.attempts.allSatisfy { $0.duration == .milliseconds(20) })
        #expect(first.budgetExhausted)
        #expect(first.elapsed == .milliseconds(60))
        // Second frame: reduced-sharpened is now predicted to cost 20 ms, and 40 + 20 > 50, so it is skipped.
        let second = cascade.scan(Self.blank)
        #expect(second.attempts.map(\.rung) == [.reduced, .full])
        #expect(second.budgetExhausted)
    }

    @Test func theRungsUpToTheFullFrameAlwaysRun() throws {
        let time = SteppingClock(step: .milliseconds(50))
        let cascade = try ScanCascade(rungs: Self.plainFirst, budget: .milliseconds(1), clock: time.clock)
        let result = cascade.scan(try Self.frame(moduleSize: 4))
        #expect(result.rung == .reduced && result.codes.count == 1)
        let empty = cascade.scan(Self.blank)
        #expect(empty.attempts.map(\.rung) == [.reduced, .full] && empty.budgetExhausted)
        // Without a full rung, only the first one is certain to run.
        let reducedFirst = try ScanCascade(rungs: [.reduced, .reducedSharpened], budget: .milliseconds(1), clock: time.clock)
        #expect(reducedFirst.scan(Self.blank).attempts.map(\.rung) == [.reduced])
    }

    @Test func theCascadeStartsAtTheRungThatReadLast() throws {
        let cascade = try ScanCascade(rungs: Self.withoutRectifying, budget: .seconds(10))
        #expect(cascade.nextOrder == Self.withoutRectifying)
        #expect(cascade.scan(try Self.frame(moduleSize: 1)).rung == .full)
        #expect(cascade.learnedRung == .full)
        #expect(cascade.nextOrder == [.full, .reduced, .reducedSharpened, .reducedDeblurred, .sharpened, .stretched])
        // Now a code the reduced copy would read is read by the full frame, first and alone.
        let next = cascade.scan(try Self.frame(moduleSize: 4))
        #expect(next.attempts.map(\.rung) == [.full])
        // A frame without a code changes nothing; a read on another rung moves the start there.
        _ = cascade.scan(Self.blank)
        #expect(cascade.learnedRung == .full)
        let reducedOnly = try ScanCascade(scanner: nil, rungs: [.reduced], budget: .seconds(1))
        #expect(reducedOnly.scan(try Self.frame(moduleSize: 4)).rung == .reduced)
        cascade.reset()
        #expect(cascade.nextOrder == Self.withoutRectifying)
        // A cascade for unrelated still images keeps its order.
        let stills = try ScanCascade(rungs: ScanCascade.stillImageRungs, budget: .seconds(10), learns: false)
        #expect(stills.scan(try Self.frame(moduleSize: 4)).rung == .full)
        #expect(stills.learnedRung == nil && stills.nextOrder == ScanCascade.stillImageRungs)
    }

    @Test func everyFewFramesTheCheapOrderIsTriedAgain() throws {
        let cascade = try ScanCascade(rungs: Self.withoutRectifying, budget: .seconds(10))
        #expect(cascade.scan(try Self.frame(moduleSize: 1)).rung == .full)
        for _ in 1..<ScanCascade.explorationInterval {
            #expect(cascade.nextOrder.first == .full)
            _ = cascade.scan(Self.blank)
        }
        #expect(cascade.nextOrder == Self.withoutRectifying)
        // The cheap rung reads this one, so the start moves back to it.
        let explored = cascade.scan(try Self.frame(moduleSize: 4))
        #expect(explored.rung == .reduced && explored.attempts.map(\.rung) == [.reduced])
        #expect(cascade.learnedRung == .reduced)
    }

    @Test func positionsFromTheReducedCopyAreInFrameCoordinates() throws {
        // The code off-centre, so a position left in reduced coordinates could not pass for a frame one.
        let code = try #require(QRCodeImage.image(Self.payload, moduleSize: 4))
        var canvas = [UInt8](repeating: 255, count: 1280 * 720)
        for y in 0..<code.height {
            for x in 0..<code.width { canvas[(y + 171) * 1280 + x + 701] = code.pixels[y * code.bytesPerRow + x] }
        }
        let frame = try GreyImage(width: 1280, height: 720, pixels: canvas)
        let direct = try #require(try QRScanner().scan(frame).first)
        let cascaded = try ScanCascade().scan(frame)
        #expect(cascaded.rung == .reduced)
        let mapped = try #require(cascaded.codes.first)
        #expect(mapped.corners.count == direct.corners.count)
        for (ours, reference) in zip(mapped.corners, direct.corners) {
            #expect(abs(ours.x - reference.x) <= 3 && abs(ours.y - reference.y) <= 3, "\(ours) vs \(reference)")
        }
        let scaled = ScanCascade.toFrame(ScannedCode(payload: [1], corners: [.init(x: 3, y: 5)]), mapping: .scaled(2))
        #expect(scaled.corners == [.init(x: 6, y: 10)])
    }

    @Test func duplicateRungsAreDroppedAndEmptyMeansTheDefault() throws {
        #expect(try ScanCascade(rungs: [.full, .full, .reduced]).rungs == [.full, .reduced])
        #expect(try ScanCascade(rungs: []).rungs == ScanCascade.cameraRungs)
    }
}
