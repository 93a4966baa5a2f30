import SystemCalls

/// A repeating on/off wave that starts "on" at `start`: on for `high`, then off until `period` has passed.
///
/// Blinking amber, the import alternation and the heartbeat are all square waves; phases are counted from the
/// moment the pattern began, so the first edge is immediate and steps are exact in tests.
struct SquareWave: Sendable {
    let start: Duration
    let high: Duration
    let period: Duration

    /// Whether the wave is on at `now` (before `start` counts as off).
    func isOn(at now: Duration) -> Bool {
        guard now >= start else { return false }
        return phase(at: now) < high.clampedNanoseconds
    }

    /// The next instant after `now` at which the wave changes.
    func nextEdge(after now: Duration) -> Duration {
        guard now >= start else { return start }
        let phase = phase(at: now)
        let periodStart = now - .nanoseconds(phase)
        return phase < high.clampedNanoseconds ? periodStart + high : periodStart + period
    }

    private func phase(at now: Duration) -> Int64 {
        (now - start).clampedNanoseconds % max(period.clampedNanoseconds, 1)
    }
}
