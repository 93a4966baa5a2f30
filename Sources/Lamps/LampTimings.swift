/// How long and how fast the patterns run. Every value comes from configuration; these defaults are for the demo.
public struct LampTimings: Hashable, Sendable {
    /// How long green stays on after a pass.
    public var pass: Duration
    /// How long red stays on after a fail.
    public var fail: Duration
    /// How long the relay is energised (turnstile open) after a pass.
    public var relayPulse: Duration
    /// How long the buzzer sounds after a fail; nil for silent fails.
    public var failBeep: Duration?
    /// The full on+off period of the blinking amber fault lamp.
    public var faultBlinkPeriod: Duration
    /// The full period of the import pattern (amber for the first half, green for the second).
    public var importPeriod: Duration
    /// How long the outcome of a trust import is shown.
    public var importOutcome: Duration
    /// The optional ready heartbeat; nil shows nothing while ready.
    public var heartbeat: Heartbeat?

    /// A short flash of one lamp every `interval` while the device is ready and idle.
    public struct Heartbeat: Hashable, Sendable {
        /// The lamp that flashes. Amber is a poor choice (it means "fault" to staff).
        public var role: LampRole
        /// How long each flash lasts.
        public var flash: Duration
        /// Time from one flash to the next; must exceed `flash`.
        public var interval: Duration

        public init(role: LampRole = .pass, flash: Duration = .milliseconds(40), interval: Duration = .seconds(3)) {
            self.role = role
            self.flash = flash
            self.interval = interval
        }
    }

    public init(
        pass: Duration = .milliseconds(1500),
        fail: Duration = .milliseconds(2000),
        relayPulse: Duration = .milliseconds(800),
        failBeep: Duration? = .milliseconds(200),
        faultBlinkPeriod: Duration = .seconds(1),
        importPeriod: Duration = .milliseconds(500),
        importOutcome: Duration = .seconds(3),
        heartbeat: Heartbeat? = nil
    ) {
        self.pass = pass
        self.fail = fail
        self.relayPulse = relayPulse
        self.failBeep = failBeep
        self.faultBlinkPeriod = faultBlinkPeriod
        self.importPeriod = importPeriod
        self.importOutcome = importOutcome
        self.heartbeat = heartbeat
    }

    /// Rejects timings that cannot be shown: zero or negative durations, a flash as long as its interval.
    public func validate() throws(LampError) {
        let positive: [(String, Duration?)] = [
            ("pass", pass), ("fail", fail), ("relayPulse", relayPulse), ("failBeep", failBeep),
            ("faultBlinkPeriod", faultBlinkPeriod), ("importPeriod", importPeriod), ("importOutcome", importOutcome),
            ("heartbeat.flash", heartbeat?.flash), ("heartbeat.interval", heartbeat?.interval),
        ]
        for (key, value) in positive {
            if let value, value <= .zero { throw LampError(.badConfiguration, "lamp timing \(key) must be positive, got \(value)") }
        }
        if let heartbeat, heartbeat.flash >= heartbeat.interval {
            throw LampError(.badConfiguration, "lamp timing heartbeat.flash must be shorter than heartbeat.interval")
        }
    }
}
