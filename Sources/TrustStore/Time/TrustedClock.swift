import FoundationEssentials
import HealthCredentials

/// Decides whether the device may trust its clock and its trust material.
///
/// A Pi has no real-time clock: after a power cut it can wake up in 1970, or in last week. The
/// system clock is trusted only when it is not behind the newest time the device already knows
/// about: the installed bundle's issuedAt and the persisted high-water mark of time seen. Passing
/// on a wrong clock is the worst outcome, so a clock behind those fails every verdict.
///
/// Policy only: the date it judges is read by the caller from SystemCalls' `WallClock` (the gate's
/// `GateOptions.wallClock`, the command line's `WallClock.system`), once, so that the same instant is judged
/// and then used for verification.
public struct TrustedClock: Sendable {
    /// What to do when trust is past its notAfter or older than `maximumAge` (`trust.stale` in gatecheck.conf,
    /// `--stale-trust` for `gatecheck verify`).
    public enum StalePolicy: String, Sendable, Hashable, CaseIterable {
        /// Every verdict fails and the fault lamp shows: the safe default.
        case fail
        /// Verdicts go on; the staleness is logged and shown in the status.
        case warn
    }

    /// Clock differences smaller than this are not called untrusted (the back office's clock and
    /// the device's are never exactly equal).
    public var tolerance: TimeInterval = 300
    /// Trust older than this (since its issuedAt) counts as stale even before its notAfter.
    public var maximumAge: TimeInterval?
    public var stalePolicy: StalePolicy = .fail

    public init(tolerance: TimeInterval = 300, maximumAge: TimeInterval? = nil, stalePolicy: StalePolicy = .fail) {
        self.tolerance = tolerance
        self.maximumAge = maximumAge
        self.stalePolicy = stalePolicy
    }

    public struct Assessment: Sendable {
        public let fitness: VerificationContext.Fitness
        /// Problems that the stale policy turned into warnings.
        public let warnings: [String]
    }

    public func assess(systemNow: Date, manifest: BundleManifest?, clockHighWater: Date?) -> Assessment {
        let floor = [manifest?.issuedAt, clockHighWater].compactMap { $0 }.max()
        if let floor, systemNow.addingTimeInterval(tolerance) < floor {
            return Assessment(
                fitness: .clockUntrusted("system clock \(Self.text(systemNow)) is behind \(Self.text(floor)), a time already seen"),
                warnings: []
            )
        }
        guard let manifest else { return Assessment(fitness: .fit, warnings: []) }
        var stale: String?
        if systemNow > manifest.notAfter {
            stale = "trust bundle \(manifest.sequence) expired at \(Self.text(manifest.notAfter))"
        } else if let maximumAge, systemNow.timeIntervalSince(manifest.issuedAt) > maximumAge {
            stale = "trust bundle \(manifest.sequence) is older than \(Int(maximumAge / 86_400)) days"
        }
        guard let stale else { return Assessment(fitness: .fit, warnings: []) }
        switch stalePolicy {
        case .fail: return Assessment(fitness: .trustStale(stale), warnings: [])
        case .warn: return Assessment(fitness: .fit, warnings: [stale])
        }
    }

    static func text(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }
}
