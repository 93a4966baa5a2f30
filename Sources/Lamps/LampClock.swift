/// Monotonic time for the lamp patterns, as a value so that tests can step time without sleeping.
///
/// Time is a `Duration` since an arbitrary origin; only differences matter. The panel never sleeps: the daemon
/// calls `LampPanel.tick()` at (or soon after) the instant it returns.
public struct LampClock: Sendable {
    /// The current time since the clock's origin.
    public let now: @Sendable () -> Duration

    /// A clock from a closure (a test passes one that reads a manually advanced value).
    public init(now: @escaping @Sendable () -> Duration) {
        self.now = now
    }

    /// The process's continuous clock, measured from the moment this clock is made.
    public static func system() -> LampClock {
        let origin = ContinuousClock.now
        return LampClock(now: { origin.duration(to: ContinuousClock.now) })
    }
}
