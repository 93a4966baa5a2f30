/// How long the outputs show a decision (`[timings]`).
public struct LampTimings: Sendable, Hashable {
    /// Solid pass lamp after a pass.
    public var pass: Duration = .milliseconds(3_000)
    /// Solid fail lamp after a fail.
    public var fail: Duration = .milliseconds(3_000)
    /// How long the relay stays unlocked after a pass.
    public var relayPulse: Duration = .milliseconds(1_000)
    /// Half period of the fault lamp's blink.
    public var faultBlink: Duration = .milliseconds(500)

    public init() {}
}
