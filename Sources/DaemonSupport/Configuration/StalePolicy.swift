/// What the device does when its trust material is stale (`trust.stale`): mirrors TrustStore's
/// `TrustedClock.StalePolicy`, kept separate so this module stays a leaf.
public enum StalePolicy: String, Sendable, Hashable, CaseIterable {
    /// Every verdict fails and the fault lamp shows: the safe default.
    case fail
    /// Verdicts go on; the staleness is logged and shown in the status.
    case warn
}
