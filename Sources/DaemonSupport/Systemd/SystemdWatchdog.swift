/// The service watchdog systemd armed for this process (`WatchdogSec=`), read from `$WATCHDOG_USEC`
/// and `$WATCHDOG_PID` as sd_watchdog_enabled(3) does.
public struct SystemdWatchdog: Sendable, Hashable {
    /// systemd restarts the service when no `WATCHDOG=1` arrives within this time.
    public let timeout: Duration

    /// How often to send `WATCHDOG=1`: half the timeout, so one late ping does not cost a restart.
    public var feedingPeriod: Duration { timeout / 2 }

    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// nil when no watchdog is armed, the value is not a positive integer, or `$WATCHDOG_PID` names
    /// another process (a child inherited the environment; the watchdog is its parent's).
    public init?(environment: [String: String], processID: Int32) {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"] {
            guard let owner = Int32(pid), owner == processID else { return nil }
        }
        timeout = .microseconds(Int64(clamping: usec))
    }

    /// From this process's environment.
    public static func current() -> SystemdWatchdog? {
        SystemdWatchdog(
            environment: ProcessEnvironment.values(["WATCHDOG_USEC", "WATCHDOG_PID"]),
            processID: ProcessEnvironment.processID
        )
    }
}
