/// Aggregate counters of a scan pipeline: numbers only, never anything read from a code.
///
/// A Sendable snapshot: ``ScanPipeline/counters`` returns a copy, consistent at the moment it was taken.
/// `frames` counts frames the source delivered; `framesDropped` those replaced in the mailbox before the
/// scanner got to them; `scans` frames actually scanned; `decodes` codes zbar found; `decisions` codes
/// passed to the decide callback; `duplicatesSuppressed` codes skipped as repeats; `sourceFaults` errors
/// from the frame source; `scansOverBudget` scans that stopped with cascade rungs untried because the frame's
/// budget was spent; `readsByRung` which cascade rung read the codes of each frame that had any. Latency is from a frame's capture to its decision, for decisions only.
import CodeScanning

public struct ScanCounters: Sendable, Hashable, CustomStringConvertible {
    public internal(set) var frames: UInt64 = 0
    public internal(set) var framesDropped: UInt64 = 0
    public internal(set) var scans: UInt64 = 0
    public internal(set) var decodes: UInt64 = 0
    public internal(set) var decisions: UInt64 = 0
    public internal(set) var duplicatesSuppressed: UInt64 = 0
    public internal(set) var sourceFaults: UInt64 = 0
    public internal(set) var scansOverBudget: UInt64 = 0
    /// Frames read, by the cascade rung that read them.
    public internal(set) var readsByRung: [ScanRung: UInt64] = [:]
    /// The rung that read the most recent code; nil before the first.
    public internal(set) var lastReadRung: ScanRung?
    /// Latency of the most recent decision, in milliseconds; nil before the first decision.
    public internal(set) var lastLatencyMilliseconds: Double?
    /// Largest latency so far, in milliseconds; nil before the first decision.
    public internal(set) var maxLatencyMilliseconds: Double?
    private var totalLatencyMilliseconds: Double = 0

    /// All zero.
    public init() {}

    /// Mean latency over all decisions, in milliseconds; nil before the first decision.
    public var meanLatencyMilliseconds: Double? {
        decisions == 0 ? nil : totalLatencyMilliseconds / Double(decisions)
    }

    mutating func recordDecision(latencyMilliseconds: Double) {
        decisions += 1
        totalLatencyMilliseconds += latencyMilliseconds
        lastLatencyMilliseconds = latencyMilliseconds
        maxLatencyMilliseconds = max(maxLatencyMilliseconds ?? 0, latencyMilliseconds)
    }

    public var description: String {
        func milliseconds(_ value: Double?) -> String {
            guard let value else { return "-" }
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }
        return "frames=\(frames) dropped=\(framesDropped) scans=\(scans) decodes=\(decodes) decisions=\(decisions) "
            + "duplicates=\(duplicatesSuppressed) faults=\(sourceFaults) latency last=\(milliseconds(lastLatencyMilliseconds)) "
            + "mean=\(milliseconds(meanLatencyMilliseconds)) max=\(milliseconds(maxLatencyMilliseconds)) ms"
    }
}
