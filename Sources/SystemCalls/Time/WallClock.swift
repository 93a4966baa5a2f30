import FoundationEssentials

/// Reading the wall (real-time) clock, as a value so that tests can set the date.
///
/// Verification, trust age and the clock high-water mark read the date through a `WallClock`. Whether the
/// date can be believed is not decided here: that is `TrustedClock`'s policy (TrustStore). Durations and
/// deadlines never use this clock (NTP steps it); they use ``MonotonicClock``.
public struct WallClock: Sendable {
    /// The current date.
    public let now: @Sendable () -> Date

    /// A clock from a closure (a test passes one that reads a date it moves).
    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system's real-time clock.
    public static let system = WallClock(now: { Date() })
}
