import CodeScanning
import Frames
import HealthCredentials
import SystemCalls

/// The per-frame work: scan with the ``ScanCascade`` (zbar on a reduced copy, then the full frame and rescued
/// variants, within the frame's budget), drop repeats, decide, turn decisions into events.
///
/// Not thread-safe (it owns a zbar scanner): ``ScanPipeline`` keeps it behind a lock, so the scan thread and
/// a test calling `process(frame:)` never use the scanner at the same time. Per frame it allocates the
/// cascade's pictures (a quarter-size copy for the reduced rungs, a full-size one for each full-frame
/// rescue; a frame read on the full rung itself needs no copy beyond the reduced one), the list of rungs
/// tried and zbar's result copies. Reusing picture buffers across frames is a possible later saving.
final class ScanStage {
    private let cascade: ScanCascade
    private var deduplicator: PayloadDeduplicator
    private let decide: @Sendable ([UInt8], Frame) -> Decision
    private let clock: MonotonicClock
    private let counters: Locked<ScanCounters>

    init(
        cascade: ScanCascade, deduplicator: PayloadDeduplicator, clock: MonotonicClock, counters: Locked<ScanCounters>,
        decide: @escaping @Sendable ([UInt8], Frame) -> Decision
    ) {
        self.cascade = cascade
        self.deduplicator = deduplicator
        self.clock = clock
        self.counters = counters
        self.decide = decide
    }

    func process(_ frame: Frame) -> [ScanEvent] {
        let scanned = cascade.scan(frame.image)
        let codes = scanned.codes
        var events: [ScanEvent] = []
        var suppressed: UInt64 = 0
        for code in codes {
            // Repeats are judged by when the frame was captured, not when it was scanned.
            guard deduplicator.admit(code.payload, at: frame.captured) else {
                suppressed += 1
                continue
            }
            let decision = decide(code.payload, frame)
            let decided = clock.now()
            events.append(
                ScanEvent(
                    kind: .decision(decision), frameSequence: frame.sequence,
                    latencyMilliseconds: decided.milliseconds(since: frame.captured), emitted: decided
                )
            )
        }
        counters.withLock { counters in
            counters.scans += 1
            if scanned.budgetExhausted { counters.scansOverBudget += 1 }
            if let rung = scanned.rung {
                counters.lastReadRung = rung
                counters.readsByRung[rung, default: 0] += 1
            }
            counters.decodes += UInt64(codes.count)
            counters.duplicatesSuppressed += suppressed
            for event in events {
                counters.recordDecision(latencyMilliseconds: event.latencyMilliseconds ?? 0)
            }
        }
        return events
    }

    func forgetPayloads() {
        deduplicator.reset()
    }
}
