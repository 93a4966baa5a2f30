/// One sd_notify(3) state change. Several can go in one datagram (`READY=1` with a `STATUS=`).
public enum NotifyMessage: Sendable, Hashable {
    /// Startup finished: the camera streams and trust is loaded.
    case ready
    /// A one-line state for `systemctl status`; newlines become spaces.
    case status(String)
    /// The scan loop is alive; send at least every ``SystemdWatchdog/feedingPeriod``.
    case watchdog
    /// Shutdown has begun.
    case stopping
    /// A reload has begun, stamped with CLOCK_MONOTONIC in µs (systemd ≥ 253 `Type=notify-reload`
    /// matches the reload by that time; older systemd ignores the stamp). Send ``ready`` when done.
    case reloading(monotonicMicroseconds: UInt64)

    /// The `KEY=value` lines this message contributes to the datagram.
    public var lines: [String] {
        switch self {
        case .ready: ["READY=1"]
        case .status(let text): ["STATUS=" + Self.oneLine(text)]
        case .watchdog: ["WATCHDOG=1"]
        case .stopping: ["STOPPING=1"]
        case .reloading(let stamp): ["RELOADING=1", "MONOTONIC_USEC=\(stamp)"]
        }
    }

    /// A newline would start a new assignment, so status text could otherwise forge `READY=1`.
    private static func oneLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return String(out)
    }
}
