extension MonotonicInstant {
    /// This instant moved by `duration` (negative durations move it back), saturating at 0 and UInt64.max.
    public func advanced(by duration: Duration) -> MonotonicInstant {
        let delta = duration.clampedNanoseconds
        if delta >= 0 {
            let (sum, carry) = nanoseconds.addingReportingOverflow(UInt64(delta))
            return MonotonicInstant(nanoseconds: carry ? .max : sum)
        }
        let magnitude = delta.magnitude
        return MonotonicInstant(nanoseconds: nanoseconds > magnitude ? nanoseconds - magnitude : 0)
    }

    /// The time since the clock's origin (boot, for CLOCK_MONOTONIC): the lamp patterns' time line.
    public var sinceOrigin: Duration { .nanoseconds(nanoseconds) }

    /// The time from `earlier` to this instant; zero if `earlier` is later.
    public func duration(since earlier: MonotonicInstant) -> Duration {
        nanoseconds > earlier.nanoseconds ? .nanoseconds(Int64(clamping: nanoseconds - earlier.nanoseconds)) : .zero
    }
}
