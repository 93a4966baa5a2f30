import CodeScanning
import Frames
import Imaging
import ScanPipeline
import SystemCalls
import Testing

@Suite("Aim meter")
struct AimMeterTests {
    static func meter() throws -> AimMeter {
        try AimMeter(scanner: ScanCascade(scanner: QRScanner(), rungs: ScanCascade.cameraRungs, budget: .seconds(2), learns: false))
    }

    static func frame(_ image: GreyImage, _ sequence: UInt64) -> Frame {
        Frame(image: image, sequence: sequence, captured: Fixtures.instant(milliseconds: sequence * 100))
    }

    @Test func oneReadingPerIntervalWithTheFramesFigures() throws {
        let meter = try Self.meter()
        let images = Array(repeating: Fixtures.readableA, count: 4) + [Fixtures.blurredA] + Array(repeating: Fixtures.blank, count: 5)
        meter.start(at: Fixtures.instant(milliseconds: 0))
        var readings: [AimReading] = []
        for (index, image) in images.enumerated() {
            let at = Fixtures.instant(milliseconds: UInt64(index + 1) * 100)
            if let reading = meter.add(Self.frame(image, UInt64(index)), at: at) { readings.append(reading) }
        }
        let reading = try #require(readings.count == 1 ? readings.first : nil, "\(readings)")
        #expect(reading.frames == 10)
        #expect(reading.elapsed == .seconds(1) && reading.framesPerSecond == 10)
        #expect(reading.framesWithCode == 4)
        #expect(reading.rung.map { ScanCascade.cameraRungs.contains($0) } == true)
        let sharpness = images.map { $0.laplacianVariance() }.reduce(0, +) / 10
        #expect(abs(reading.sharpness - sharpness) < 1e-9 * sharpness)
        let exposures = images.map { $0.exposure() }
        #expect(abs(reading.meanLevel - Double(exposures.map(\.levelSum).reduce(0, +)) / Double(10 * Fixtures.width * Fixtures.height)) < 1e-9)
        let clipped = exposures.map { $0.darkClipped + $0.brightClipped }.reduce(0, +)
        #expect(abs(reading.clippedShare - Double(clipped) / Double(10 * Fixtures.width * Fixtures.height)) < 1e-12)
        #expect(reading.description.hasSuffix("code read in 4/10 frames (\(reading.rung!))"))
        #expect(reading.description.hasPrefix("10.0 fps  sharpness "))
        // The next interval begins where this one ended; nothing carries over.
        #expect(meter.finish(at: Fixtures.instant(milliseconds: 1500)) == nil)
    }

    /// A payload carries a traveller's name: nothing of it may reach the line.
    @Test func theLineNeverCarriesThePayload() throws {
        let meter = try Self.meter()
        meter.start(at: Fixtures.instant(milliseconds: 0))
        _ = meter.add(Self.frame(Fixtures.readableA, 0), at: Fixtures.instant(milliseconds: 50))
        let reading = try #require(meter.finish(at: Fixtures.instant(milliseconds: 100)))
        #expect(reading.framesWithCode == 1)
        let line = reading.description
        #expect(!line.contains("HC1"))
        for piece in stride(from: 4, to: Fixtures.payloadA.count - 8, by: 8) {
            let start = Fixtures.payloadA.index(Fixtures.payloadA.startIndex, offsetBy: piece)
            #expect(!line.contains(Fixtures.payloadA[start..<Fixtures.payloadA.index(start, offsetBy: 8)]))
        }
        #expect(Reflection.allValues(of: reading).allSatisfy { !"\($0)".contains(Fixtures.payloadA) })
    }

    @Test func runEndsAfterTheFrameLimitWithAPartialReadingAndSkipsFailedFrames() throws {
        let clock = ManualClock()
        let source = ScriptedSource(
            [.frame(Self.frame(Fixtures.blank, 0)), .error(FrameSourceError(.timeout, "no frame")), .frame(Self.frame(Fixtures.readableB, 1))]
                + (2..<20).map { .frame(Self.frame(Fixtures.blank, UInt64($0))) })
        var readings: [AimReading] = []
        var skipped: [FrameSourceError.Code] = []
        let meter = try Self.meter()
        meter.run(
            TickingSource(source, clock: clock, step: .milliseconds(300)), frameLimit: 5, clock: clock.clock,
            skipped: { skipped.append($0.code) }, report: { readings.append($0) })
        #expect(skipped == [.timeout])
        #expect(readings.map(\.frames) == [3, 2])  // 300, 900 and 1200 ms (600 failed), then 1500 and 1800 ms
        #expect(readings.map(\.framesWithCode) == [1, 0])
        #expect(readings.first?.elapsed == .milliseconds(1200))
    }

    @Test func runStopsWhenAskedAndWhenTheSourceEnds() throws {
        let clock = ManualClock()
        var asked = 0
        var readings: [AimReading] = []
        try Self.meter().run(
            TickingSource(ScriptedSource((0..<10).map { .frame(Self.frame(Fixtures.blank, UInt64($0))) }), clock: clock, step: .milliseconds(10)),
            clock: clock.clock, shouldStop: { asked += 1; return asked > 3 }, report: { readings.append($0) })
        #expect(readings.map(\.frames) == [3])
        readings = []
        try Self.meter().run(
            TickingSource(ScriptedSource([.frame(Self.frame(Fixtures.blank, 0))]), clock: clock, step: .milliseconds(10)),
            clock: clock.clock, report: { readings.append($0) })
        #expect(readings.map(\.frames) == [1])
    }
}

/// Advances a manual clock by `step` before each frame, as a camera's frame interval would.
final class TickingSource: FrameSource {
    let description = "ticking source"
    private let source: ScriptedSource
    private let clock: ManualClock
    private let step: Duration

    init(_ source: ScriptedSource, clock: ManualClock, step: Duration) {
        self.source = source
        self.clock = clock
        self.step = step
    }

    func nextFrame() throws(FrameSourceError) -> Frame? {
        clock.advance(by: step)
        return try source.nextFrame()
    }

    func close() { source.close() }
}
