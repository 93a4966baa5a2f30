import DaemonSupport
import FoundationEssentials
import Frames
import GateVocabulary
import HealthCredentials
import ScanPipeline
import SystemCalls

/// The gate's counters and faults, kept under one lock and turned into a ``StatusSnapshot`` on demand.
/// Numbers and closed enums only: nothing read from a code is ever stored here.
final class GateStatus: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`.
    private let lock = ConditionLock()
    private let clock: MonotonicClock
    private let started: MonotonicInstant
    private let camera: String
    private var state: StatusSnapshot.State = .starting
    private var faults: Set<StatusSnapshot.Fault> = []
    private var passes: UInt64 = 0
    private var failsByReason: [CredentialError.Code?: UInt64] = [:]
    private var passesByFormat: [CredentialFormat: UInt64] = [:]
    private var failsByFormat: [CredentialFormat: UInt64] = [:]
    /// Keys are rule identifiers, capped (see `StatusSnapshot.failsByRule`).
    private var failsByRule: [String: UInt64] = [:]
    private var cameraFaults: UInt64 = 0
    private var cameraReconnects: UInt64 = 0
    /// The fetch-state file as housekeeping last read it.
    private var fetch: TrustFetchState?

    /// Reasons that mean "this is not a (readable) health certificate" rather than "this certificate is not
    /// acceptable": counted again as decode errors.
    static let decodeReasons: Set<CredentialError.Code> = [
        .badPrefix, .payloadTooLarge, .badBase45, .notCompressed, .badCompression, .decompressedTooLarge, .badCBOR,
        .badCOSE, .badCWT, .badKid, .unsupportedAlgorithm, .noCodeFound, .unreadableInput,
        // the other formats' layers, and codes of no format GateCheck verifies
        .unsupportedFormat, .badQRChunks, .badNumericEncoding, .badBase32, .badBase64URL, .badJWS, .badJSON, .badSeal,
    ]

    init(camera: String, clock: MonotonicClock) {
        self.camera = camera
        self.clock = clock
        started = clock.now()
    }

    func recordVerdict(_ line: VerdictLine) {
        lock.withLock {
            switch line.verdict {
            case .pass:
                passes += 1
                passesByFormat[line.format, default: 0] += 1
            case .fail:
                failsByReason[line.reason, default: 0] += 1
                failsByFormat[line.format, default: 0] += 1
                // Once per verdict, even if a rule were listed twice.
                for rule in Set(line.failedRules) { StatusSnapshot.countRuleFails(rule.identifier, in: &failsByRule) }
            }
        }
    }

    func recordFetchState(_ state: TrustFetchState?) {
        lock.withLock { fetch = state }
    }

    func recordCameraFault() {
        lock.withLock { cameraFaults += 1 }
    }

    var currentFaults: Set<StatusSnapshot.Fault> {
        lock.withLock { faults }
    }

    var currentState: StatusSnapshot.State {
        lock.withLock { state }
    }

    /// Replaces the faults of one kind (`scope`) with `active` and, in the same step, the state shown for the new
    /// set and a camera reconnect when `countingReconnect`: a status reader never sees the faults cleared with the
    /// state or the counter not yet updated. Returns the complete set if it changed.
    func updateFaults(
        in scope: Set<StatusSnapshot.Fault>, to active: Set<StatusSnapshot.Fault>, countingReconnect: Bool = false,
        shownState: ((Set<StatusSnapshot.Fault>) -> StatusSnapshot.State)? = nil
    ) -> Set<StatusSnapshot.Fault>? {
        lock.withLock {
            let updated = faults.subtracting(scope).union(active.intersection(scope))
            guard updated != faults else { return nil }
            faults = updated
            if let shownState { state = shownState(updated) }
            if countingReconnect { cameraReconnects += 1 }
            return updated
        }
    }

    func setState(_ new: StatusSnapshot.State) {
        lock.withLock { state = new }
    }

    func snapshot(pipeline: ScanCounters?, trust: (sequence: UInt64?, ageSeconds: Int64?, expiresInSeconds: Int64?, reloads: UInt64))
        -> StatusSnapshot
    {
        var snapshot = StatusSnapshot()
        lock.withLock {
            // A fault outranks ready or starting; stopping outranks everything.
            snapshot.state = faults.isEmpty || state == .stopping ? state : .fault
            snapshot.faults = faults.sorted()
            snapshot.camera = camera
            snapshot.passes = passes
            snapshot.failsByReason = failsByReason
            snapshot.fails = failsByReason.values.reduce(0, +)
            snapshot.failsByRule = failsByRule
            snapshot.passesByFormat = passesByFormat
            snapshot.failsByFormat = failsByFormat
            snapshot.decodeErrors = failsByReason.filter { $0.key.map(Self.decodeReasons.contains) ?? false }.values.reduce(0, +)
            snapshot.cameraFaults = cameraFaults
            snapshot.cameraReconnects = cameraReconnects
            snapshot.includeFetch(fetch)
        }
        snapshot.uptimeSeconds = Int64(clock.now().duration(since: started).components.seconds)
        if let pipeline {
            snapshot.frames = pipeline.frames
            snapshot.framesDropped = pipeline.framesDropped
            snapshot.scans = pipeline.scans
            snapshot.codesRead = pipeline.decodes
            snapshot.duplicatesSuppressed = pipeline.duplicatesSuppressed
            snapshot.lastLatencyMilliseconds = pipeline.lastLatencyMilliseconds
            snapshot.maxLatencyMilliseconds = pipeline.maxLatencyMilliseconds
        }
        snapshot.trustSequence = trust.sequence
        snapshot.trustAgeSeconds = trust.ageSeconds
        snapshot.trustExpiresInSeconds = trust.expiresInSeconds
        snapshot.trustReloads = trust.reloads
        return snapshot
    }
}
