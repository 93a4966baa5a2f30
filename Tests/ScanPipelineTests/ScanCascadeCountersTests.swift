import CodeScanning
import Frames
import HealthCredentials
import ScanPipeline
import Testing

/// The pipeline scans through the cascade and counts which rung read each frame.
@Suite("Scan cascade in the pipeline")
struct ScanCascadeCountersTests {
    @Test func countersSayWhichRungRead() throws {
        let pipeline = try ScanPipeline(source: ScriptedSource([])) { _, _ in Decision(verdict: .fail) }
        #expect(pipeline.counters.lastReadRung == nil && pipeline.counters.readsByRung.isEmpty)
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.blank, sequence: 0, at: 0))
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 1, at: 33))
        let counters = pipeline.counters
        #expect(counters.scans == 2 && counters.decodes == 1)
        let rung = try #require(counters.lastReadRung)
        #expect(counters.readsByRung == [rung: 1])
    }

    @Test func theRungOrderIsAParameter() throws {
        // Only the full frame: the pipeline reads exactly what zbar alone reads, on the first rung.
        let pipeline = try ScanPipeline(source: ScriptedSource([]), scanBudget: .milliseconds(5), scanRungs: [.full]) { _, _ in
            Decision(verdict: .fail)
        }
        _ = pipeline.process(frame: Fixtures.frame(Fixtures.readableA, sequence: 0, at: 0))
        #expect(pipeline.counters.readsByRung == [.full: 1])
        #expect(pipeline.counters.scansOverBudget == 0)
    }
}
