/// Reading and waiting on the monotonic clock, as values so that tests can inject time.
///
/// Replay pacing and pipeline latency both go through a `MonotonicClock`: production code uses ``system``;
/// a test passes closures over a manual instant, so pacing and de-duplication windows are checked without
/// sleeping. Both closures may be called from any thread.
public struct MonotonicClock: Sendable {
    /// The current instant.
    public let now: @Sendable () -> MonotonicInstant
    /// Blocks the calling thread for about the given duration; zero or negative durations return at once.
    public let sleep: @Sendable (Duration) -> Void

    /// A clock from two closures (e.g. a test clock whose `sleep` just advances `now`).
    public init(now: @escaping @Sendable () -> MonotonicInstant, sleep: @escaping @Sendable (Duration) -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// CLOCK_MONOTONIC and nanosleep.
    public static let system = MonotonicClock(now: { MonotonicInstant.now() }, sleep: { Waiting.sleep($0) })
}
