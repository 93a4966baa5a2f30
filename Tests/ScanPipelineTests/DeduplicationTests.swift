import Frames
import GateCheckTestSupport
import Imaging
import ScanPipeline
import Testing

/// One decision per code held in view; a new code or the same code after the window is decided again.
@Suite("De-duplication")
struct DeduplicationTests {
    static func makePipeline(window: Duration = .seconds(3)) throws -> (ScanPipeline, Shared<[[UInt8]]>) {
        let decided = Shared<[[UInt8]]>([])
        let clock = ManualClock()
        let pipeline = try ScanPipeline(source: ScriptedSource([]), dedupWindow: window, clock: clock.clock) {
            payload, _ in
            decided.withLock { $0.append(payload) }
            return Fixtures.verify(payload)
        }
        return (pipeline, decided)
    }

    @Test func samePayloadOverThirtyFramesThenAnotherThenAfterTheWindow() throws {
        let (pipeline, decided) = try Self.makePipeline()
        let a = Array(Fixtures.payloadA.utf8)
        let b = Array(Fixtures.payloadB.utf8)
        var sequence: UInt64 = 0
        var now: UInt64 = 0
        func show(_ image: GreyImage) -> [ScanEvent] {
            defer {
                sequence += 1
                now += 33
            }
            return pipeline.process(frame: Fixtures.frame(image, sequence: sequence, at: now))
        }

        let held = (0..<30).flatMap { _ in show(Fixtures.readableA) }
        #expect(held.count == 1)
        #expect(held.first?.frameSequence == 0)
        #expect(decided.value == [a])

        // A different code: decided at once.
        let other = show(Fixtures.readableB)
        #expect(other.count == 1)
        #expect(decided.value == [a, b])

        // A comes back 2.9 s after its last sighting (frame 29 at 957 ms): still a repeat, and the window restarts.
        now = 957 + 2_900
        #expect(show(Fixtures.readableA).isEmpty)
        // 3 s after that sighting: a new decision.
        now = 957 + 2_900 + 3_000
        let again = show(Fixtures.readableA)
        #expect(again.count == 1)
        #expect(decided.value == [a, b, a])

        let counters = pipeline.counters
        #expect(counters.decodes == 33)
        #expect(counters.decisions == 3)
        #expect(counters.duplicatesSuppressed == 30)
    }

    @Test func forgettingPayloadsDecidesAgain() throws {
        let (pipeline, decided) = try Self.makePipeline()
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        pipeline.forgetRecentPayloads()
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 1, at: 33))
        #expect(decided.value.count == 2)
    }

    @Test func windowIsConfigurable() throws {
        let (pipeline, decided) = try Self.makePipeline(window: .milliseconds(500))
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 1, at: 499))
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 2, at: 999))
        #expect(decided.value.count == 2)
    }

    @Test func deduplicatorMemoryIsBoundedAndForgetsTheLeastRecent() {
        var deduplicator = PayloadDeduplicator(window: .seconds(3), capacity: 4)
        func admit(_ payload: [UInt8], at milliseconds: UInt64) -> Bool {
            deduplicator.admit(payload, at: Fixtures.instant(milliseconds: milliseconds))
        }
        for index in 0..<100 {
            let isNew = admit([UInt8(index)], at: UInt64(index))
            #expect(isNew)
            #expect(deduplicator.rememberedCount <= 4)
        }
        // The four most recent are remembered; an older one is new again.
        let results = [admit([99], at: 100), admit([96], at: 100), admit([0], at: 100)]
        #expect(results == [false, false, true])
    }

    @Test func deduplicatorDistinguishesPrefixesAndEmptyPayloads() {
        var deduplicator = PayloadDeduplicator()
        let now = Fixtures.instant(milliseconds: 0)
        let results = [[], [0], [0, 0], [0, 0], []].map { deduplicator.admit($0, at: now) }
        #expect(results == [true, true, true, false, false])
    }

    @Test func deduplicatorKeepsNoPayloadBytes() {
        var deduplicator = PayloadDeduplicator()
        let payload = Array(Fixtures.payloadA.utf8)
        _ = deduplicator.admit(payload, at: Fixtures.instant(milliseconds: 0))
        let values = Reflection.allValues(of: deduplicator)
        #expect(!values.contains { $0 is [UInt8] || $0 is String || $0 is Substring })
        var dumped = ""
        dump(deduplicator, to: &dumped)
        #expect(!dumped.contains("HC1"))
    }
}
