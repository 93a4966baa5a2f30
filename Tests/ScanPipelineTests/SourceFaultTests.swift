import Frames
import GateCheckTestSupport
import HealthCredentials
import ScanPipeline
import SystemCalls
import Testing
import Glibc

/// Source errors become events, and capture goes on.
@Suite("Source faults")
struct SourceFaultTests {
    static func isEnd(_ event: ScanEvent) -> Bool {
        if case .sourceEnded = event.kind { return true }
        return false
    }

    @Test func timeoutAndDeviceLostBecomeEventsAndTheLoopContinues() async throws {
        let source = ScriptedSource([
            .frame(Fixtures.frame(Fixtures.blank, sequence: 0, at: 0)),
            .error(FrameSourceError(.timeout, "no frame within 2 s")),
            .error(FrameSourceError(.deviceLost, "/dev/gatecheck-camera: ENODEV")),
            .frame(Fixtures.frame(Fixtures.readableA, sequence: 1, at: 10)),
        ])
        let events = Shared<[ScanEvent]>([])
        let pipeline = try ScanPipeline(
            source: source, faultBackoff: .milliseconds(1), onEvent: { event in events.withLock { $0.append(event) } }
        ) { payload, _ in Fixtures.verify(payload) }
        await pipeline.run()

        let seen = events.value
        #expect(seen.compactMap(\.sourceFault?.code) == [.timeout, .deviceLost])
        #expect(seen.compactMap(\.decision).count == 1)
        #expect(seen.first { $0.decision != nil }?.frameSequence == 1)
        #expect(seen.last.map(Self.isEnd) == true)
        // Faults come before the decision on the frame delivered after them.
        let lastFault = try #require(seen.lastIndex { $0.sourceFault != nil })
        let decision = try #require(seen.firstIndex { $0.decision != nil })
        #expect(lastFault < decision)
        #expect(pipeline.counters.sourceFaults == 2)
        #expect(pipeline.counters.frames == 2)
        #expect(source.closeCount == 1)
    }

    @Test func eventsAlsoArriveOnTheAsyncStream() async throws {
        let source = ScriptedSource([
            .error(FrameSourceError(.timeout, "stalled")),
            .frame(Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0)),
        ])
        let pipeline = try ScanPipeline(source: source, faultBackoff: .zero) { payload, _ in Fixtures.verify(payload) }
        await pipeline.run()
        var kinds: [String] = []
        for await event in pipeline.events {  // finished by stop()
            kinds.append(event.sourceFault != nil ? "fault" : event.decision != nil ? "decision" : "end")
        }
        #expect(kinds == ["fault", "decision", "end"])
    }

    /// Synchronous on purpose: the pipeline runs on its own threads, and the test only sleeps, so a
    /// busy cooperative pool (the whole suite runs in parallel on two cores) cannot starve it.
    @Test func stopEndsAnEndlessSource() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("a.pgm", Fixtures.pgm(Fixtures.blank))
        let looping = try ReplayFrameSource(folder: folder.path, framesPerSecond: 100, loops: true)
        let pipeline = try ScanPipeline(source: looping) { _, _ in Decision(verdict: .fail) }
        pipeline.start()
        let start = MonotonicInstant.now()
        while pipeline.counters.scans <= 3, MonotonicInstant.now().milliseconds(since: start) < 30_000 {
            usleep(10_000)
        }
        pipeline.stop()
        let counters = pipeline.counters
        #expect(counters.frames > 3)
        #expect(counters.scans > 3)
        #expect(try looping.nextFrame() == nil)  // the pipeline closed its source
        pipeline.stop()  // idempotent
    }

    @Test func cancellationStopsRun() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("a.pgm", Fixtures.pgm(Fixtures.blank))
        let looping = try ReplayFrameSource(folder: folder.path, framesPerSecond: 100, loops: true)
        let pipeline = try ScanPipeline(source: looping) { _, _ in Decision(verdict: .fail) }
        let task = Task { await pipeline.run() }
        task.cancel()
        await task.value  // returns: an endless source does not keep run() alive after cancellation
        #expect(try looping.nextFrame() == nil)
    }

    @Test func stopBeforeStartClosesTheSourceOnce() throws {
        let source = ScriptedSource([])
        let pipeline = try ScanPipeline(source: source) { _, _ in Decision(verdict: .fail) }
        pipeline.stop()
        pipeline.stop()
        pipeline.start()  // after stop: does nothing
        #expect(source.closeCount == 1)
    }
}
