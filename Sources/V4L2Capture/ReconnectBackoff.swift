/// The wait before each attempt to reopen a lost camera: 0.5 s, doubling, at most 5 s.
///
/// Short at first because a USB camera that glitched re-enumerates within a second; capped so a
/// camera plugged back in is picked up within 5 s, while a missing camera costs almost nothing.
public struct ReconnectBackoff: Hashable, Sendable {
    public var initialDelay: Double
    public var maximumDelay: Double

    public init(initialDelay: Double = 0.5, maximumDelay: Double = 5) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Seconds to wait before reopen attempt `attempt` (0-based) since the device was lost.
    public func delay(beforeAttempt attempt: Int) -> Double {
        var delay = initialDelay
        for _ in 0..<max(0, min(attempt, 32)) {
            delay *= 2
            if delay >= maximumDelay { break }
        }
        return min(delay, maximumDelay)
    }
}
