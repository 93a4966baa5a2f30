import DaemonSupport
import FoundationEssentials
import Frames
import GateVocabulary
import HealthCredentials
import Lamps
import Logging
import ScanPipeline
import TrustStore

/// Camera → pipeline → verdict → lamps for one configuration: what happens on each decision, each camera
/// fault and each scanned frame, and when the device counts as ready.
///
/// Called from the pipeline's threads (events, frames), the housekeeping thread (trust) and the daemon's task
/// (lifecycle); every method is safe from any of them.
final class Gate: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`; the rest is immutable or thread-safe itself.
    let configuration: DaemonConfiguration
    let options: GateOptions
    let panel: LampPanel
    let trust: TrustKeeper
    let status: GateStatus
    let logger: Logger
    private let lampLoop: WorkerLoop
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var framesSeen = false
    private var readySent = false
    private var trustChecked = false
    private var lastWatchdog: MonotonicInstant?
    private var cameraLost = false
    private var pipeline: ScanPipeline?
    private var loggedWarnings: Set<String> = []
    private var importShown = false

    static let cameraFaults: Set<StatusSnapshot.Fault> = [.cameraLost, .cameraStalled, .cameraUnusable]
    static let trustFaults: Set<StatusSnapshot.Fault> = [.trustMissing, .trustInvalid, .trustStale, .clockUntrusted]
    static let rulesFaults: Set<StatusSnapshot.Fault> = [.rulesMissing, .rulesStale]

    init(configuration: DaemonConfiguration, options: GateOptions, status: GateStatus, logger: Logger) throws(LampError) {
        self.configuration = configuration
        self.options = options
        self.status = status
        self.logger = logger
        var outputs = try configuration.lamps.outputs(console: options.consoleWrite)
        if let wrap = options.wrapOutput {
            outputs = outputs.reduce(into: [:]) { $0[$1.key] = wrap($1.key, $1.value) }
        }
        let clock = LampClock.system()
        let panel = try LampPanel(outputs: outputs, timings: configuration.timings, clock: clock)
        self.panel = panel
        trust = TrustKeeper(configuration: configuration)
        let failures = LampFailureLog(logger: logger, status: status)
        lampLoop = WorkerLoop.ticking(panel, clock: clock, failed: failures.failed, recovered: failures.recovered)
    }

    // MARK: Lifecycle

    /// Lamps to rest (all off, relay locked) and the lamp thread running.
    func startLamps() throws(LampError) {
        try panel.allOff()
        guard lampLoop.start() else { throw LampError(.badConfiguration, "cannot start the lamp thread") }
    }

    /// Shutdown: the lamp thread ends, then everything off with the relay locked first.
    func stopLamps() {
        lampLoop.stop()
        do {
            try panel.allOff()
        } catch {
            logger.error("lamps: could not turn every output off at shutdown: \(error)")
        }
    }

    func attach(_ pipeline: ScanPipeline) {
        lock.withLock { self.pipeline = pipeline }
    }

    func snapshot() -> StatusSnapshot {
        let pipeline = lock.withLock { self.pipeline }
        return status.snapshot(pipeline: pipeline?.counters, trust: trust.statusFields(now: options.now()))
    }

    // MARK: Decisions

    /// Verifies one payload at the current time with the trust in use. Never passes without usable trust.
    func decide(payload: [UInt8]) -> Decision {
        let (verifier, context) = trust.decisionInputs(now: options.now())
        return Decision(verifier.verify(payload: payload, in: context))
    }

    func handle(_ event: ScanEvent) {
        switch event.kind {
        case .decision(let decision):
            show(decision, event: event)
        case .sourceFault(let error):
            cameraFault(error)
        case .sourceEnded:
            logger.notice("frames: the replay has ended")
        }
    }

    private func show(_ decision: Decision, event: ScanEvent) {
        let line = VerdictLine(decision, latencyMilliseconds: event.latencyMilliseconds ?? 0)
        do {
            if line.verdict == .pass {
                try panel.showPass()
            } else {
                try panel.showFail()
            }
        } catch {
            logger.error("lamps: \(error)")
        }
        lampLoop.kick()
        status.recordVerdict(line)
        logger.info("\(line)")
        options.onDecision?(GateDecision(line: line, frameSequence: event.frameSequence))
    }

    // MARK: Camera health

    private func cameraFault(_ error: FrameSourceError) {
        status.recordCameraFault()
        let fault: StatusSnapshot.Fault
        switch error.code {
        case .timeout: fault = .cameraStalled
        case .deviceLost, .ioFailure: fault = .cameraLost
        default: fault = .cameraUnusable
        }
        lock.withLock { cameraLost = true }
        if setFaults(Self.cameraFaults, to: [fault]) {
            logger.warning("camera: \(error)")
        }
    }

    /// Every scanned frame proves capture and scanning work: clears camera faults, completes start-up and
    /// feeds the systemd watchdog — only from here, so a hung camera or scanner gets the service restarted.
    func frameScanned() {
        let now = MonotonicInstant.now()
        let (wasLost, becomesReady, feed) = lock.withLock { () -> (Bool, Bool, Bool) in
            let wasLost = cameraLost
            cameraLost = false
            framesSeen = true
            let becomesReady = !readySent && trustChecked
            if becomesReady { readySent = true }
            var feed = false
            if let watchdog = options.watchdog, lastWatchdog.map({ now.duration(since: $0) >= watchdog.feedingPeriod }) ?? true {
                lastWatchdog = now
                feed = true
            }
            return (wasLost, becomesReady, feed)
        }
        if wasLost, setFaults(Self.cameraFaults, to: []) {
            status.recordCameraReconnect()
            logger.notice("camera: frames are arriving again")
        }
        if becomesReady { announceReady() }
        if feed { notify(.watchdog) }
        options.onFrameScanned?()
    }

    // MARK: Trust and time

    /// One housekeeping round: reload the bundle if it changed, judge trust and clock, move the clock mark.
    func checkTrust(force: Bool = false) {
        let now = options.now()
        switch trust.reload(force: force) {
        case .loaded(let sequence, let signers):
            logger.notice("trust: loaded bundle \(sequence) with \(signers) signers from \(trust.store.bundlePath)")
            let pipeline = lock.withLock { () -> ScanPipeline? in
                loggedWarnings = []
                return self.pipeline
            }
            // New trust can change a verdict: a code still held up is decided again.
            pipeline?.forgetRecentPayloads()
        case .failed(let fault, let detail):
            logger.error("trust: \(fault.rawValue): \(detail)")
        case .unchanged:
            break
        }
        let health = trust.health(now: now)
        for warning in health.warnings where lock.withLock({ loggedWarnings.insert(warning).inserted }) {
            logger.warning("trust: \(warning) (stale = \"warn\": still deciding)")
        }
        if setFaults(Self.trustFaults, to: health.fault.map { [$0] } ?? []), let fault = health.fault {
            logger.error("trust: \(fault.rawValue): \(health.detail ?? "")")
        }
        let rules = trust.rulesHealth(now: now)
        if setFaults(Self.rulesFaults, to: rules.map { [$0.fault] } ?? []), let rules {
            logger.error("rules: \(rules.fault.rawValue): \(rules.detail)")
        }
        do {
            try trust.recordClock(now: now)
        } catch {
            logger.warning("trust: cannot record the clock high-water mark: \(error)")
        }
        let becomesReady = lock.withLock { () -> Bool in
            trustChecked = true
            let becomesReady = !readySent && framesSeen
            if becomesReady { readySent = true }
            return becomesReady
        }
        if becomesReady { announceReady() }
    }

    // MARK: Trust imports from a USB stick

    /// An import older than this that never reported its outcome died: its pattern stops.
    static let abandonedImport: Duration = .seconds(600)

    /// Shows what `gatecheck trust import --config …` reports in the import-progress file.
    func checkImportProgress() {
        let file = ImportProgressFile(besideStatusSocket: configuration.status.socketPath)
        guard let (progress, age) = file.read() else { return }
        do {
            switch progress {
            case .running where age < Self.abandonedImport:
                if lock.withLock({ !importShown }) {
                    logger.notice("trust: an import from a USB stick is running")
                    lock.withLock { importShown = true }
                }
                try panel.setImportInProgress(true)
            case .running:
                logger.warning("trust: the import that started \(age.components.seconds) s ago never finished; ignoring it")
                file.remove()
                lock.withLock { importShown = false }
                try panel.setImportInProgress(false)
            case .installed(let sequence):
                logger.notice("trust: the USB import installed bundle \(sequence)")
                file.remove()
                lock.withLock { importShown = false }
                try panel.showImportOutcome(succeeded: true)
            case .refused(let code):
                logger.warning("trust: the USB import was refused (\(code)); the installed trust is unchanged")
                file.remove()
                lock.withLock { importShown = false }
                try panel.showImportOutcome(succeeded: false)
            }
        } catch {
            logger.error("lamps: \(error)")
        }
        lampLoop.kick()
    }

    // MARK: State

    /// Replaces the faults in `scope`; on a change updates the lamp, the state and systemd's STATUS=.
    /// Returns whether anything changed.
    @discardableResult
    func setFaults(_ scope: Set<StatusSnapshot.Fault>, to active: Set<StatusSnapshot.Fault>) -> Bool {
        guard let faults = status.updateFaults(in: scope, to: active) else { return false }
        do {
            try panel.setFault(!faults.isEmpty)
        } catch {
            logger.error("lamps: \(error)")
        }
        lampLoop.kick()
        let ready = lock.withLock { readySent }
        if faults.isEmpty {
            status.setState(ready ? .ready : .starting)
            if ready { logger.notice("gate: every fault cleared; deciding again") }
        } else {
            status.setState(.fault)
        }
        notify(.status(statusLine()))
        return true
    }

    /// Start-up done: the camera delivers and trust was read (usable or not: a fault is shown and reported,
    /// and waiting for a restart would not fix a missing bundle).
    private func announceReady() {
        let faults = status.currentFaults
        status.setState(faults.isEmpty ? .ready : .fault)
        logger.notice("gate: ready (\(statusLine()))")
        notify(.ready, .status(statusLine()))
    }

    /// Reload finished: tell systemd the service is ready again.
    func announceReloaded() {
        notify(.ready, .status(statusLine()))
    }

    /// One line for `systemctl status`: state, faults, trust sequence.
    func statusLine() -> String {
        let faults = status.currentFaults.sorted()
        let trustText = trust.statusFields(now: options.now()).sequence.map { "trust \($0)" } ?? "no trust"
        let state = faults.isEmpty ? (lock.withLock { readySent } ? "ready" : "starting") : "FAULT " + faults.map(\.rawValue).joined(separator: ",")
        return "\(state); \(trustText); \(configuration.cameraDevice)"
    }

    func notify(_ messages: NotifyMessage...) {
        do {
            try options.notifier.send(messages)
        } catch {
            logger.warning("systemd notify: \(error)")
        }
    }
}

/// Logs a failing lamp output once (not every tick) and raises the output fault while it lasts.
private final class LampFailureLog: @unchecked Sendable {
    private let lock = ConditionLock()
    private var failing = false
    private let logger: Logger
    private let status: GateStatus

    init(logger: Logger, status: GateStatus) {
        self.logger = logger
        self.status = status
    }

    func failed(_ error: LampError) {
        let first = lock.withLock { () -> Bool in
            defer { failing = true }
            return !failing
        }
        guard first else { return }
        logger.error("lamps: \(error) (retrying)")
        _ = status.updateFaults(in: [.outputFailure], to: [.outputFailure])
    }

    func recovered() {
        let was = lock.withLock { () -> Bool in
            defer { failing = false }
            return failing
        }
        guard was else { return }
        logger.notice("lamps: outputs work again")
        _ = status.updateFaults(in: [.outputFailure], to: [])
    }
}
