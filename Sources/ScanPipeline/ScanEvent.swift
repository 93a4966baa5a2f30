import Frames
import HealthCredentials
import SystemCalls

/// What the pipeline tells its owner: a decision, a source fault, or the end of a finite source.
///
/// Payload-free: a decision event carries the caller's ``Decision`` (no holder, no payload), the number of
/// the frame it was made on and the latency from that frame's capture; a fault carries the source's error
/// (a code for the fault lamp and a technical detail such as a device path).
public struct ScanEvent: Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A new (not de-duplicated) code was decided.
        case decision(Decision)
        /// The source could not deliver (`timeout`, `deviceLost`, …); the pipeline keeps going.
        case sourceFault(FrameSourceError)
        /// A finite source (replay, raw file) has no more frames; the pipeline has stopped scanning.
        case sourceEnded
    }

    public let kind: Kind
    /// The frame the decision was made on; nil for other events.
    public let frameSequence: UInt64?
    /// Milliseconds from the frame's capture to the decision; nil for other events.
    public let latencyMilliseconds: Double?
    /// When the event was emitted, on the pipeline's clock.
    public let emitted: MonotonicInstant

    public init(kind: Kind, frameSequence: UInt64? = nil, latencyMilliseconds: Double? = nil, emitted: MonotonicInstant) {
        self.kind = kind
        self.frameSequence = frameSequence
        self.latencyMilliseconds = latencyMilliseconds
        self.emitted = emitted
    }

    /// The decision, if this is a decision event.
    public var decision: Decision? {
        if case .decision(let decision) = kind { return decision }
        return nil
    }

    /// The source error, if this is a fault event.
    public var sourceFault: FrameSourceError? {
        if case .sourceFault(let error) = kind { return error }
        return nil
    }

    public var description: String {
        switch kind {
        case .decision(let decision):
            let latency = latencyMilliseconds.map { " \(Int($0.rounded())) ms" } ?? ""
            return "decision \(decision) frame=\(frameSequence.map(String.init) ?? "-")\(latency)"
        case .sourceFault(let error):
            return "source fault \(error)"
        case .sourceEnded:
            return "source ended"
        }
    }
}
