import DaemonSupport
import HealthCredentials

/// What a running daemon reports about itself: state, faults and counters. Served as JSON on the status
/// socket (`gatecheck status`) and optionally as Prometheus text.
///
/// Private by construction: every field is a number, a closed enum, a device path from the configuration or
/// an admission rule's identifier (from the signed bundle, shaped `VR-DE-0001`). Nothing read from a code can be
/// put here (reasons are the verifier's `CredentialError.Code`, not strings).
public struct StatusSnapshot: Sendable, Hashable {
    /// The gate's overall state.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Camera or trust not yet up.
        case starting
        /// Scanning with usable trust: verdicts mean what they say.
        case ready
        /// Cannot decide (see `faults`): the fault lamp blinks and no verdict passes.
        case fault
        /// Shutting down.
        case stopping
    }

    /// Why the device cannot decide. Stable codes, like reason codes.
    public enum Fault: String, Sendable, Hashable, CaseIterable, Comparable {
        /// The camera went away (unplugged, driver error); capture keeps trying to reopen it.
        case cameraLost = "camera-lost"
        /// The camera is open but delivers no frames within the poll timeout.
        case cameraStalled = "camera-stalled"
        /// The camera cannot be used at all (not a capture device, no usable format).
        case cameraUnusable = "camera-unusable"
        /// No trust bundle is installed.
        case trustMissing = "trust-missing"
        /// The installed bundle does not verify against the anchors.
        case trustInvalid = "trust-invalid"
        /// The installed bundle is past its notAfter or older than the maximum age.
        case trustStale = "trust-stale"
        /// The system clock is behind a time the device has already seen.
        case clockUntrusted = "clock-untrusted"
        /// A country of arrival is configured, but the installed bundle has no acceptance rules of it.
        case rulesMissing = "rules-missing"
        /// The configured country's rules for some certificate type are all past their validity.
        case rulesStale = "rules-stale"
        /// A lamp or relay output could not be written.
        case outputFailure = "output-failure"

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var state: State = .starting
    /// Sorted, no repeats.
    public var faults: [Fault] = []
    /// Seconds since the daemon started.
    public var uptimeSeconds: Int64 = 0
    /// The configured camera device (or "replay" in demo and replay modes).
    public var camera: String = ""

    // Pipeline counters.
    public var frames: UInt64 = 0
    public var framesDropped: UInt64 = 0
    public var scans: UInt64 = 0
    /// Codes zbar found, before de-duplication.
    public var codesRead: UInt64 = 0
    public var duplicatesSuppressed: UInt64 = 0

    // Verdicts.
    public var passes: UInt64 = 0
    public var fails: UInt64 = 0
    /// Fails by reason code, as ``VerdictLine/reason`` has it (nil is written `none`); only reasons that occurred are
    /// present. A word this build does not know is read back as ``CredentialError/Code/other``.
    public var failsByReason: [CredentialError.Code?: UInt64] = [:]
    /// Fails whose reason is a decoding problem (not a health certificate, damaged code).
    public var decodeErrors: UInt64 = 0
    /// Verdicts by credential format (`hc1`, `shc`, `vds-nc`, `nzcp`, and the unsupported ones); only formats that
    /// occurred are present. A word this build does not know is read back as `unknown`.
    public var passesByFormat: [CredentialFormat: UInt64] = [:]
    public var failsByFormat: [CredentialFormat: UInt64] = [:]
    /// Fails by admission rule: how many failed verdicts each rule failed (or could not be evaluated) in.
    /// Keys are rule identifiers only (`VR-DE-0001`), at most ``maximumRuleKeys`` of them; the rest, and any
    /// key that is not an identifier, count under ``otherRulesKey``. Fill it with ``countRuleFails(_:_:)``, which keeps that so.
    public var failsByRule: [String: UInt64] = [:]

    // Camera health.
    public var cameraFaults: UInt64 = 0
    /// Times frames flowed again after the camera was lost or stalled.
    public var cameraReconnects: UInt64 = 0

    // Trust.
    /// The installed bundle's sequence; nil when none is loaded.
    public var trustSequence: UInt64?
    /// Seconds since the installed bundle was issued; nil when none is loaded.
    public var trustAgeSeconds: Int64?
    /// Seconds until the installed bundle goes stale (negative once it is); nil when none is loaded.
    public var trustExpiresInSeconds: Int64?
    /// Successful trust (re)loads since start.
    public var trustReloads: UInt64 = 0

    // Fetching trust over HTTPS (`gatecheck trust fetch`, its state file); all nil when no fetch ever ran.
    /// Seconds since 1970 of the last fetch, and of the last one that left the newest bundle installed.
    public var trustFetchLastAttempt: Int64?
    public var trustFetchLastSuccess: Int64?
    /// The last fetch's outcome: `installed`, `current`, `not-modified` or a failure's reason code (a code only).
    public var trustFetchOutcome: String?
    /// Failed fetches since the last success.
    public var trustFetchFailures: UInt64?

    // Latency from frame capture to decision, milliseconds.
    public var lastLatencyMilliseconds: Double?
    public var maxLatencyMilliseconds: Double?

    public init() {}

    /// Takes the fetch fields from the fetch-state file's contents (nil: no fetch ever ran).
    public mutating func includeFetch(_ fetch: TrustFetchState?) {
        trustFetchLastAttempt = fetch?.lastAttempt
        trustFetchLastSuccess = fetch?.lastSuccess
        trustFetchOutcome = fetch?.outcome
        trustFetchFailures = fetch.map(\.failures)
    }

    /// The most distinct rule identifiers `failsByRule` holds: a hostile bundle with many rules cannot grow
    /// the counters (or the Prometheus file) without bound.
    public static let maximumRuleKeys = 256
    /// Where `failsByRule` counts the rules beyond the cap, and keys that are not rule identifiers.
    public static let otherRulesKey = "other"

    /// Adds `count` fails of the rule `identifier` to `failsByRule`, within the cap, saturating at `UInt64.max`.
    public mutating func countRuleFails(_ identifier: String, _ count: UInt64 = 1) {
        Self.countRuleFails(identifier, count, in: &failsByRule)
    }

    /// The same for counts kept elsewhere (the daemon's own, until it takes a snapshot).
    public static func countRuleFails(_ identifier: String, _ count: UInt64 = 1, in counts: inout [String: UInt64]) {
        var key = Decision.RuleIdentifier(identifier) == nil ? otherRulesKey : identifier
        let identifiers = counts.count - (counts[otherRulesKey] == nil ? 0 : 1)
        if counts[key] == nil, identifiers >= maximumRuleKeys { key = otherRulesKey }
        let (sum, overflow) = counts[key, default: 0].addingReportingOverflow(count)
        counts[key] = overflow ? .max : sum
    }
}
