import DaemonSupport
import FoundationEssentials
import GateVocabulary
import Lamps
import Logging
import ScanPipeline
import ServiceLifecycle
import SystemCalls
import UnixSignals

/// gatecheckd: runs the gate for as long as the process lives.
///
/// Each configuration runs as one swift-service-lifecycle `ServiceGroup` — lamps, housekeeping (trust, clock,
/// Prometheus file), status socket, scanner — which shuts down in reverse order: scanning stops first, the
/// lamps go dark and the relay locks last. Signals are handled here, for the whole process:
/// - SIGTERM, SIGINT: `STOPPING=1`, graceful shutdown, return.
/// - SIGHUP: `RELOADING=1`; reread the configuration file (all or nothing: an invalid file is logged and the
///   running configuration stays) and the trust store. An unchanged file only reloads trust; a changed one
///   restarts the group with the new configuration. `READY=1` when done.
public final class GateDaemon: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`.
    private let options: GateOptions
    private let status: GateStatus
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var configuration: DaemonConfiguration
    private var pendingConfiguration: DaemonConfiguration?
    private var stopRequested = false
    private var current: (gate: Gate, group: ServiceGroup)?
    /// The gate of the configuration that ran last, for counters after ``run()`` returns.
    private var lastGate: Gate?

    public init(configuration: DaemonConfiguration, options: GateOptions) {
        self.configuration = configuration
        self.options = options
        let camera: String =
            switch options.frameInput {
            case .camera: configuration.cameraDevice
            case .replay, .custom: "replay"
            }
        status = GateStatus(camera: camera, clock: options.monotonicClock)
    }

    /// The counters as they are now (the demo prints them at the end).
    public func snapshot() -> StatusSnapshot {
        lock.withLock { current?.gate ?? lastGate }?.snapshot() ?? status.snapshot(pipeline: nil, trust: (nil, nil, nil, 0))
    }

    /// Runs until SIGTERM/SIGINT, ``stop()``, or (with `stopWhenFramesEnd`) the end of a replay.
    /// - Throws: ``GateDaemonError`` when the gate cannot start (a lamp that does not exist, no zbar).
    public func run() async throws(GateDaemonError) {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let listener = Task { [self] in
            for await signal in signals {
                switch signal {
                case .sighup: await reload()
                default: await stop()
                }
            }
        }
        defer { listener.cancel() }

        while true {
            let configuration = lock.withLock { () -> DaemonConfiguration? in
                if stopRequested { return nil }
                if let pending = pendingConfiguration {
                    self.configuration = pending
                    pendingConfiguration = nil
                }
                return self.configuration
            }
            guard let configuration else { return }
            let restart = try await runGeneration(configuration)
            if !restart { return }
        }
    }

    /// Graceful shutdown from code (tests; the signal handler uses it too).
    public func stop() async {
        let group = lock.withLock { () -> ServiceGroup? in
            stopRequested = true
            return current?.group
        }
        status.setState(.stopping)
        notify(.stopping)
        await group?.triggerGracefulShutdown()
    }

    /// What SIGHUP does; callable from code for tests.
    public func reload() async {
        // Between two configurations there is nothing to reload: the next one reads everything afresh.
        guard let gate = lock.withLock({ current?.gate }) else { return }
        notifyReloading()
        gate.logger.notice("reload: requested")
        guard let path = options.configurationPath else {
            gate.checkTrust(force: true)
            gate.announceReloaded()
            return
        }
        let new: DaemonConfiguration
        do {
            new = try DaemonConfiguration.load(path: path)
            // Empty is what a file rewritten in place looks like between truncate and write; taken, it would reset
            // every setting. Only a restart takes an empty file (all defaults) for meant.
            if FileFingerprint.of(path)?.size == 0, new != gate.configuration {
                throw ConfigurationError(
                    .truncatedFile, file: path, "the file is empty (being rewritten?); restart gatecheckd to run on the defaults")
            }
        } catch {
            gate.logger.error("reload refused, the running configuration stays: \(error)")
            gate.checkTrust(force: true)
            gate.announceReloaded()
            return
        }
        guard new != gate.configuration else {
            gate.checkTrust(force: true)
            gate.announceReloaded()
            return
        }
        gate.logger.notice("reload: configuration changed; restarting the gate with it")
        let group = lock.withLock { () -> ServiceGroup? in
            pendingConfiguration = new
            return current?.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Runs one configuration until its group ends. Returns true when a new configuration is waiting.
    private func runGeneration(_ configuration: DaemonConfiguration) async throws(GateDaemonError) -> Bool {
        let logger = Logger(label: "gatecheckd") { [options] _ in
            JournalLogHandler(level: configuration.logLevel, sink: options.logLine)
        }
        let gate: Gate
        do {
            gate = try Gate(configuration: configuration, options: options, status: status, logger: logger)
            try gate.startLamps()
        } catch {
            throw GateDaemonError("lamps: \(error)")
        }
        gate.checkTrust(force: true)
        let services: [any Service] = [
            LampService(gate: gate), HousekeepingService(gate: gate), StatusService(gate: gate), ScannerService(gate: gate),
        ]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map {
                    .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                logger: logger
            )
        )
        let stopAlready = lock.withLock { () -> Bool in
            current = (gate, group)
            lastGate = gate
            return stopRequested || pendingConfiguration != nil
        }
        if stopAlready { await group.triggerGracefulShutdown() }
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        let restart = lock.withLock { () -> Bool in
            current = nil
            return !stopRequested && pendingConfiguration != nil
        }
        if let failure {
            gate.stopLamps()
            throw GateDaemonError("\(failure)")
        }
        return restart
    }

    private func notify(_ message: NotifyMessage) {
        try? options.notifier.send(message)
    }

    private func notifyReloading() {
        try? options.notifier.reloading()
    }
}

/// The gate could not start or stopped on an error; the description is one line for stderr.
public struct GateDaemonError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
