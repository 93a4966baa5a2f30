#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// poll(2) on one descriptor and nanosleep(2), both waiting out their whole time across signals.
public enum Waiting {
    /// What poll reported for the descriptor.
    public struct Events: OptionSet, Sendable, Hashable {
        public let rawValue: Int16
        public init(rawValue: Int16) { self.rawValue = rawValue }
        public static let readable = Events(rawValue: Int16(POLLIN))
        public static let error = Events(rawValue: Int16(POLLERR))
        public static let hangup = Events(rawValue: Int16(POLLHUP))
        public static let invalid = Events(rawValue: Int16(POLLNVAL))
    }

    /// Waits up to `timeout` for the descriptor to become readable. Returns the events, or nil when the
    /// time ran out; a signal does not end the wait early.
    public static func pollReadable(_ descriptor: Int32, timeout: Duration, _ subject: String) throws(SystemCallError) -> Events? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            entry.revents = 0
            let remaining = max(.zero, clock.now.duration(to: deadline))
            let result = poll(&entry, 1, milliseconds(remaining))
            if result > 0 { return Events(rawValue: entry.revents) }
            if result == 0 { return nil }
            let code = SystemCall.currentErrno()
            if code != EINTR { throw SystemCallError("poll", subject, errno: .init(rawValue: code)) }
        }
    }

    /// For poll(2), rounded up so a wait never ends just short of its deadline.
    public static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return .max }
        let rounded = milliseconds.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: rounded)
    }

    /// Blocks the thread for `duration`; a signal does not cut it short. Zero or less returns at once.
    public static func sleep(_ duration: Duration) {
        let nanoseconds = duration.clampedNanoseconds
        guard nanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && SystemCall.currentErrno() == EINTR {
            request = remaining
        }
    }
}
