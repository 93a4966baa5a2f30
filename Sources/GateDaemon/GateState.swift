import DaemonSupport
import Frames
import GateVocabulary
import SystemCalls

/// What the gate remembers between events, as a value: start-up progress, the last watchdog feed, a lost
/// camera, the trust warnings already logged and a USB import on show.
///
/// Each transition changes the value and returns what the gate must do, in order; it does none of it. `Gate`
/// holds one under its lock and performs the effects after releasing it, so these rules are tested without
/// threads, clocks or a daemon.
struct GateState: Equatable, Sendable {
    /// Something the gate must do after a transition.
    enum Effect: Equatable, Sendable {
        /// Start-up is complete: `READY=1`. Returned once in a gate's life.
        case announceReady
        /// `WATCHDOG=1`.
        case feedWatchdog
        /// Show this camera fault in place of any other.
        case showCameraFault(StatusSnapshot.Fault, because: FrameSourceError)
        /// Frames arrive again after a camera fault: clear the camera faults.
        case clearCameraFaults
        /// Log this trust warning (new since the bundle was loaded).
        case logTrustWarning(String)
        /// A USB import was first reported running: log it.
        case logImportStarted
        /// Show the import pattern (every round while it runs).
        case showImportRunning
        /// The import reported nothing for `age`: forget it and stop its pattern.
        case abandonImport(age: Duration)
        /// The import installed this bundle: show success.
        case importInstalled(sequence: UInt64)
        /// The import was refused: show failure.
        case importRefused(code: String)
    }

    /// An import older than this that never reported its outcome died: its pattern stops.
    static let abandonedImport: Duration = .seconds(600)

    private(set) var framesSeen = false
    private(set) var trustChecked = false
    private(set) var readySent = false
    private(set) var lastWatchdogFeed: MonotonicInstant?
    private(set) var cameraLost = false
    private(set) var loggedWarnings: Set<String> = []
    private(set) var importShown = false

    // MARK: Camera and frames

    /// A scanned frame proves capture and scanning work: it ends a camera fault, completes start-up once trust
    /// was checked, and feeds the watchdog (nil `watchdogPeriod`: none armed) at most once per period. Frames are
    /// the only feeders, so a hung camera or scanner gets the service restarted.
    mutating func frameScanned(at now: MonotonicInstant, watchdogPeriod: Duration?) -> [Effect] {
        var effects: [Effect] = []
        if cameraLost { effects.append(.clearCameraFaults) }
        cameraLost = false
        framesSeen = true
        if becomeReady() { effects.append(.announceReady) }
        if let watchdogPeriod, lastWatchdogFeed.map({ now.duration(since: $0) >= watchdogPeriod }) ?? true {
            lastWatchdogFeed = now
            effects.append(.feedWatchdog)
        }
        return effects
    }

    /// The camera failed: its fault is shown until the next scanned frame.
    mutating func cameraFailed(_ error: FrameSourceError) -> [Effect] {
        cameraLost = true
        let fault: StatusSnapshot.Fault
        switch error.code {
        case .timeout: fault = .cameraStalled
        case .deviceLost, .ioFailure: fault = .cameraLost
        default: fault = .cameraUnusable
        }
        return [.showCameraFault(fault, because: error)]
    }

    // MARK: Trust

    /// A new bundle was loaded: its warnings are logged afresh.
    mutating func trustLoaded() {
        loggedWarnings = []
    }

    /// Logs each warning once per bundle, not every housekeeping round.
    mutating func trustWarned(_ warnings: [String]) -> [Effect] {
        warnings.filter { loggedWarnings.insert($0).inserted }.map(Effect.logTrustWarning)
    }

    /// A housekeeping round judged trust (usable or not: a fault is shown, and waiting would not fix a missing
    /// bundle); with frames already seen, start-up is complete.
    mutating func trustJudged() -> [Effect] {
        trustChecked = true
        return becomeReady() ? [.announceReady] : []
    }

    private mutating func becomeReady() -> Bool {
        guard !readySent, framesSeen, trustChecked else { return false }
        readySent = true
        return true
    }

    // MARK: Imports from a USB stick

    /// What the import-progress file said, `age` after it was written.
    mutating func importReported(_ progress: ImportProgress, age: Duration) -> [Effect] {
        switch progress {
        case .running where age < Self.abandonedImport:
            defer { importShown = true }
            return importShown ? [.showImportRunning] : [.logImportStarted, .showImportRunning]
        case .running:
            importShown = false
            return [.abandonImport(age: age)]
        case .installed(let sequence):
            importShown = false
            return [.importInstalled(sequence: sequence)]
        case .refused(let code):
            importShown = false
            return [.importRefused(code: code)]
        }
    }

    // MARK: What the state shows

    /// A fault outranks everything; without one the gate is ready once start-up completed.
    func shownState(faults: Set<StatusSnapshot.Fault>) -> StatusSnapshot.State {
        faults.isEmpty ? (readySent ? .ready : .starting) : .fault
    }
}
