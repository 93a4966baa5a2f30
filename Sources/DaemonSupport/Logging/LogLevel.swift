/// How much the daemon logs (`log_level`), with the sd-daemon(3) priority each level is written at.
/// The names match swift-log's levels so the daemon can hand them over unchanged.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case trace
    case debug
    case info
    case notice
    case warning
    case error
    case critical

    /// The syslog priority journald files the line under (`<N>` prefix): trace and debug are both 7.
    public var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
