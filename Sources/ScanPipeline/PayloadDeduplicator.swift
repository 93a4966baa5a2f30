import Frames
import SystemCalls

/// Debounce for codes held in front of the camera: the same payload seen again within a window yields no
/// new decision, so a code visible in 30 frames is verified once and the lamp pulses once.
///
/// Only a 128-bit keyed hash of each payload (64 bits on 32-bit platforms) is kept, never the payload: the code carries personal data.
/// The hash is SipHash (Swift's `Hasher`) under two random keys chosen per deduplicator, so nobody can craft
/// a payload that collides with another person's to suppress its decision. The window runs from the last
/// sighting: a code left in view stays one decision, and becomes new again after it has been out of view
/// for the whole window. Memory is bounded: at most ``capacity`` recent hashes (preallocated, so admitting
/// a payload allocates nothing); when full, the least recently seen entry is forgotten.
public struct PayloadDeduplicator: Sendable {
    private struct Entry: Sendable {
        var hash: (UInt64, UInt64)
        var lastSeen: MonotonicInstant
    }

    /// How long after its last sighting a payload counts as a repeat.
    public let window: Duration
    /// How many distinct recent payloads are remembered.
    public let capacity: Int

    private let keys: (UInt64, UInt64)
    private var entries: [Entry]

    /// - Parameters:
    ///   - window: repeats within this time of the last sighting are suppressed (default 3 s).
    ///   - capacity: distinct payloads remembered (default 64, at least 1).
    public init(window: Duration = .seconds(3), capacity: Int = 64) {
        self.window = window
        self.capacity = max(1, capacity)
        keys = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        entries = []
        entries.reserveCapacity(self.capacity)
    }

    /// Records a sighting of `payload` at `instant`.
    ///
    /// - Returns: true if the payload needs a decision (not seen within the window), false for a repeat.
    public mutating func admit(_ payload: [UInt8], at instant: MonotonicInstant) -> Bool {
        let hash = hash(of: payload)
        if let index = entries.firstIndex(where: { $0.hash == hash }) {
            let previous = entries[index].lastSeen
            // Sightings can arrive out of order by a frame; never move the last sighting backwards.
            entries[index].lastSeen = max(previous, instant)
            return instant.duration(since: previous) >= window
        }
        let entry = Entry(hash: hash, lastSeen: instant)
        if entries.count < capacity {
            entries.append(entry)
        } else if let oldest = entries.indices.min(by: { entries[$0].lastSeen < entries[$1].lastSeen }) {
            entries[oldest] = entry
        }
        return true
    }

    /// Forgets every payload (e.g. after the trust list changed, so the next sighting is verified afresh).
    public mutating func reset() {
        entries.removeAll(keepingCapacity: true)
    }

    /// How many payload hashes are remembered (never more than ``capacity``).
    public var rememberedCount: Int { entries.count }

    private func hash(of payload: [UInt8]) -> (UInt64, UInt64) {
        payload.withUnsafeBytes { bytes in
            var first = Hasher()
            first.combine(keys.0)
            first.combine(bytes: bytes)
            var second = Hasher()
            second.combine(keys.1)
            second.combine(bytes: bytes)
            return (UInt64(UInt(bitPattern: first.finalize())), UInt64(UInt(bitPattern: second.finalize())))
        }
    }
}
