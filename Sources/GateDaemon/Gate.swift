import DaemonSupport
import FoundationEssentials
import Frames
import GateVocabulary
import HealthCredentials
import Lamps
import Logging
import ScanPipeline
import SystemCalls
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
    // Guarded by `lock`. Each method runs one transition under it and performs the effects after it.
    private var state = GateState()
    private var pipeline: ScanPipeline?
    /// The pipeline's counters when it ended (`detach()`).
    private var finalCounters: ScanCounters?
    private var clockRecordFailing = false

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
        let clock = MonotonicClock.system
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

    /// Lets go of the pipeline once it has run, keeping its last counters for `snapshot()`. Its closures hold this
    /// gate: kept, the pair would outlive the generation, and every reload that restarts the gate would leave the
    /// old gate, its pipeline and its trust (with a mapping of the old bundle file) behind. The soak found that.
    func detach() {
        let counters = lock.withLock { self.pipeline }?.counters
        lock.withLock {
            pipeline = nil
            finalCounters = counters
        }
    }

    func snapshot() -> StatusSnapshot {
        let (pipeline, finalCounters) = lock.withLock { (self.pipeline, self.finalCounters) }
        return status.snapshot(pipeline: pipeline?.counters ?? finalCounters, trust: trust.statusFields(now: options.wallClock.now()))
    }

    // MARK: Decisions

    /// Verifies one payload at the current time with the trust in use. Never passes without usable trust.
    func decide(payload: [UInt8]) -> Decision {
        let (verifier, context) = trust.decisionInputs(now: options.wallClock.now())
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
        let line = VerdictLine(decision, latency: .milliseconds(max(0, event.latencyMilliseconds ?? 0)))
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
        if let sequence = event.frameSequence, let file = options.frameInput.replayFile(forFrame: sequence) {
            // Ties a decision to its recorded frame by file name (the soak checks each against the frame's
            // expected verdict); the verdict line is holder-free, and a replay's file names are the tester's own.
            logger.debug("replay: frame \(sequence) \(file.split(separator: "/").last.map(String.init) ?? file): \(line)")
        }
        options.onDecision?(GateDecision(line: line, frameSequence: event.frameSequence))
    }

    // MARK: Camera health

    private func cameraFault(_ error: FrameSourceError) {
        status.recordCameraFault()
        perform(lock.withLock { state.cameraFailed(error) })
    }

    /// Every scanned frame proves capture and scanning work (see ``GateState/frameScanned(at:watchdogPeriod:)``).
    func frameScanned() {
        let now = options.monotonicClock.now()
        let period = options.watchdog?.feedingPeriod
        perform(lock.withLock { state.frameScanned(at: now, watchdogPeriod: period) })
        options.onFrameScanned?()
    }

    // MARK: Trust and time

    /// One housekeeping round: reload the bundle if it changed, judge trust and clock, move the clock mark.
    func checkTrust(force: Bool = false) {
        let now = options.wallClock.now()
        switch trust.reload(force: force) {
        case .loaded(let sequence, let signers, let warning):
            logger.notice("trust: loaded bundle \(sequence) with \(signers) signers from \(trust.store.bundlePath)")
            if let warning { logger.warning("trust: \(warning)") }
            let pipeline = lock.withLock { () -> ScanPipeline? in
                state.trustLoaded()
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
        perform(lock.withLock { state.trustWarned(health.warnings) })
        if setFaults(Self.trustFaults, to: health.fault.map { [$0] } ?? []), let fault = health.fault {
            logger.error("trust: \(fault.rawValue): \(health.detail ?? "")")
        }
        let rules = trust.rulesHealth(now: now)
        if setFaults(Self.rulesFaults, to: rules.map { [$0.fault] } ?? []), let rules {
            logger.error("rules: \(rules.fault.rawValue): \(rules.detail)")
        }
        do {
            try trust.recordClock(now: now)
            if lock.withLock({ defer { clockRecordFailing = false }; return clockRecordFailing }) {
                logger.notice("trust: the clock high-water mark is recorded again")
            }
        } catch {
            // Once per failure, not every second: a read-only or full state partition stays so for hours.
            if !lock.withLock({ defer { clockRecordFailing = true }; return clockRecordFailing }) {
                logger.warning("trust: cannot record the clock high-water mark: \(error); retrying quietly")
            }
        }
        perform(lock.withLock { state.trustJudged() })
    }

    // MARK: Trust imports from a USB stick

    /// Shows what `gatecheck trust import --config …` reports in the import-progress file.
    func checkImportProgress() {
        guard let (progress, age) = importProgressFile.read() else { return }
        perform(lock.withLock { state.importReported(progress, age: age) })
        lampLoop.kick()
    }

    /// What `gatecheck trust fetch` last recorded, for the status (a read of one small file).
    func checkFetchState() {
        status.recordFetchState(TrustFetchState.read(stateDirectory: configuration.stateDirectory))
    }

    private var importProgressFile: ImportProgressFile {
        ImportProgressFile(besideStatusSocket: configuration.status.socketPath)
    }

    // MARK: Effects

    /// Does what a transition returned, outside the lock (lamps, logs and systemd may block).
    private func perform(_ effects: [GateState.Effect]) {
        for effect in effects {
            do {
                switch effect {
                case .announceReady:
                    announceReady()
                case .feedWatchdog:
                    notify(.watchdog)
                case .showCameraFault(let fault, let error):
                    if setFaults(Self.cameraFaults, to: [fault]) {
                        logger.warning("camera: \(error)")
                    }
                case .clearCameraFaults:
                    if setFaults(Self.cameraFaults, to: [], countingReconnect: true) {
                        logger.notice("camera: frames are arriving again")
                    }
                case .logTrustWarning(let warning):
                    logger.warning("trust: \(warning) (stale = \"warn\": still deciding)")
                case .logImportStarted:
                    logger.notice("trust: an import from a USB stick is running")
                case .showImportRunning:
                    try panel.setImportInProgress(true)
                case .abandonImport(let age):
                    logger.warning("trust: the import that started \(age.components.seconds) s ago never finished; ignoring it")
                    importProgressFile.remove()
                    try panel.setImportInProgress(false)
                case .importInstalled(let sequence):
                    logger.notice("trust: the USB import installed bundle \(sequence)")
                    importProgressFile.remove()
                    try panel.showImportOutcome(succeeded: true)
                case .importRefused(let code):
                    logger.warning("trust: the USB import was refused (\(code)); the installed trust is unchanged")
                    importProgressFile.remove()
                    try panel.showImportOutcome(succeeded: false)
                }
            } catch {
                logger.error("lamps: \(error)")
            }
        }
    }

    // MARK: State

    /// Replaces the faults in `scope` (with the state they show, and a camera reconnect when `countingReconnect`,
    /// in one step of the status); on a change updates the lamp and systemd's STATUS=. Returns whether anything changed.
    @discardableResult
    func setFaults(_ scope: Set<StatusSnapshot.Fault>, to active: Set<StatusSnapshot.Fault>, countingReconnect: Bool = false) -> Bool {
        let gateState = lock.withLock { state }
        guard
            let faults = status.updateFaults(
                in: scope, to: active, countingReconnect: countingReconnect, shownState: { gateState.shownState(faults: $0) })
        else { return false }
        do {
            try panel.setFault(!faults.isEmpty)
        } catch {
            logger.error("lamps: \(error)")
        }
        lampLoop.kick()
        if status.currentState == .ready { logger.notice("gate: every fault cleared; deciding again") }
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
        let faults = status.currentFaults
        let trustText = trust.statusFields(now: options.wallClock.now()).sequence.map { "trust \($0)" } ?? "no trust"
        let shown = lock.withLock { state.shownState(faults: faults) }
        let stateText = shown == .fault ? "FAULT " + faults.sorted().map(\.rawValue).joined(separator: ",") : shown.rawValue
        return "\(stateText); \(trustText); \(configuration.cameraDevice)"
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
