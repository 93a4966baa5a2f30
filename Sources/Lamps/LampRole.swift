/// What an output means at the gate.
public enum LampRole: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Green: the credential passed.
    case pass
    /// Red: the credential failed.
    case fail
    /// Amber: the device is not fit to decide (no camera, stale trust, untrustworthy clock); for staff.
    case fault
    /// An optional beeper, sounded briefly on fail.
    case buzzer
    /// An optional gate relay: energised (open) only for a pulse after a pass; off is locked.
    case relay

    public var description: String { rawValue }

    /// How a console lamp is labelled: what a person at the gate would call it.
    public var consoleLabel: String {
        switch self {
        case .pass: "GREEN (pass)"
        case .fail: "RED (fail)"
        case .fault: "AMBER (fault)"
        case .buzzer: "BUZZER"
        case .relay: "GATE RELAY (open)"
        }
    }
}
