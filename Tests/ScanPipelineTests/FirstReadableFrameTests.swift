import CodeScanning
import Frames
import GateCheckTestSupport
import HealthCredentials
import Imaging
import ScanPipeline
import Testing

/// The pipeline decides on the first frame in which zbar can read the code, and only once.
@Suite("Decision on the first readable frame")
struct FirstReadableFrameTests {
    /// blank, blank, partial, blurred, readable, readable, readable as PGM files in a folder.
    static let sequence: [(name: String, image: GreyImage)] = [
        ("00-blank.pgm", Fixtures.blank), ("01-blank.pgm", Fixtures.blank), ("02-partial.pgm", Fixtures.partialA),
        ("03-blurred.pgm", Fixtures.blurredA), ("04-readable.pgm", Fixtures.readableA),
        ("05-readable.pgm", Fixtures.readableA), ("06-readable.pgm", Fixtures.readableA),
    ]
    static let firstReadable: UInt64 = 4

    static func writeSequence() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        // Written in reverse so that the replay order comes from sorting, not from the directory.
        for entry in sequence.reversed() {
            _ = try folder.write(entry.name, Fixtures.pgm(entry.image))
        }
        return folder
    }

    @Test func fixturesAreUnreadableUntilTheCodeIsWhole() throws {
        let scanner = try QRScanner()
        #expect(Fixtures.readableA.width == 640 && Fixtures.readableA.height == 480)
        #expect(scanner.scan(Fixtures.blank).isEmpty)
        #expect(scanner.scan(Fixtures.partialA).isEmpty)
        #expect(scanner.scan(Fixtures.blurredA).isEmpty)
        #expect(scanner.scan(Fixtures.readableA).map(\.payload) == [Array(Fixtures.payloadA.utf8)])
    }

    @Test func replayedSequenceYieldsOneDecisionOnTheFirstReadableFrame() throws {
        let folder = try Self.writeSequence()
        defer { folder.remove() }
        let clock = ManualClock()
        let source = try ReplayFrameSource(folder: folder.path, clock: clock.clock)
        let decided = Shared<[UInt64]>([])
        let pipeline = try ScanPipeline(source: source, clock: clock.clock) { payload, frame in
            decided.withLock { $0.append(frame.sequence) }
            return Fixtures.verify(payload)
        }
        var events: [ScanEvent] = []
        while let frame = try source.nextFrame() {
            events += pipeline.process(frame: frame)
        }
        #expect(events.compactMap(\.frameSequence) == [Self.firstReadable])
        #expect(events.first?.decision?.verdict == .pass)
        #expect(decided.value == [Self.firstReadable])
        let counters = pipeline.counters
        #expect(counters.frames == 7 && counters.scans == 7)
        #expect(counters.decodes == 3 && counters.decisions == 1 && counters.duplicatesSuppressed == 2)
    }

    @Test func threadedPipelineOverAPacedReplayDecidesOnTheFirstReadableFrame() async throws {
        let folder = try Self.writeSequence()
        defer { folder.remove() }
        // Real time at 10 fps: a scan (a few ms) finishes long before the next frame, so nothing is dropped.
        let source = try ReplayFrameSource(folder: folder.path, framesPerSecond: 10)
        let events = Shared<[ScanEvent]>([])
        let pipeline = try ScanPipeline(source: source, onEvent: { event in events.withLock { $0.append(event) } }) {
            payload, _ in Fixtures.verify(payload)
        }
        await pipeline.run()

        let decisions = events.value.filter { $0.decision != nil }
        let counters = pipeline.counters
        #expect(decisions.count == 1)
        #expect(decisions.first?.decision?.verdict == .pass)
        #expect(events.value.last.map { if case .sourceEnded = $0.kind { true } else { false } } == true)
        #expect(counters.frames == 7)
        #expect(counters.scans + counters.framesDropped == 7)
        #expect(counters.decisions == 1)
        // On a loaded machine a scan can outlast a frame and the newer frame wins; without drops the
        // decision is on the first readable frame exactly, and never before it in any case.
        if counters.framesDropped == 0 {
            #expect(decisions.first?.frameSequence == Self.firstReadable)
        }
        #expect((decisions.first?.frameSequence ?? 0) >= Self.firstReadable)
        #expect((counters.lastLatencyMilliseconds ?? -1) >= 0)
        #expect(counters.maxLatencyMilliseconds == counters.lastLatencyMilliseconds)
    }
}
