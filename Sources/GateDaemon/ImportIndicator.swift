import DaemonSupport
import FoundationEssentials
import Frames
import GateVocabulary
import Lamps
import SystemCalls

/// Shows a trust import on the gate's lamps for `gatecheck trust import --config …`: through gatecheckd when
/// it runs (the import-progress file beside its status socket), or by driving the lamps directly when it does
/// not, so that a technician with a USB stick always sees the import and its outcome.
public final class ImportIndicator: @unchecked Sendable {
    // @unchecked: set up once in `begin`; `panel` and `loop` are thread-safe.
    private let file: ImportProgressFile
    private let panel: LampPanel?
    private let loop: WorkerLoop?
    private let outcomeLength: Duration

    /// How the import is shown.
    public enum Route: Sendable, Equatable {
        case daemon
        case lamps
        case none(reason: String)
    }

    public let route: Route

    /// Starts showing an import. Never throws: lamps are feedback, the import itself must go on.
    public static func begin(configuration: DaemonConfiguration, consoleWrite: @escaping @Sendable (String) -> Void = { print($0) })
        -> ImportIndicator
    {
        let file = ImportProgressFile(besideStatusSocket: configuration.status.socketPath)
        if (try? StatusSocketClient.fetch(path: configuration.status.socketPath, timeout: .seconds(1))) != nil,
            (try? file.write(.running)) != nil
        {
            return ImportIndicator(file: file, panel: nil, loop: nil, route: .daemon, outcome: .zero)
        }
        do throws(LampError) {
            // Lamps only: an import never touches the gate relay or the buzzer (not even to set them up).
            var lamps = configuration.lamps
            lamps.relay = nil
            lamps.buzzer = nil
            let outputs = try lamps.outputs(console: consoleWrite)
            let timings = configuration.timings
            let clock = MonotonicClock.system
            let panel = try LampPanel(outputs: outputs, timings: timings, clock: clock)
            try panel.allOff()
            try panel.setImportInProgress(true)
            let loop = WorkerLoop.ticking(panel, clock: clock)
            _ = loop.start()
            return ImportIndicator(file: file, panel: panel, loop: loop, route: .lamps, outcome: timings.importOutcome)
        } catch {
            return ImportIndicator(file: file, panel: nil, loop: nil, route: .none(reason: "\(error)"), outcome: .zero)
        }
    }

    private init(file: ImportProgressFile, panel: LampPanel?, loop: WorkerLoop?, route: Route, outcome: Duration) {
        self.file = file
        self.panel = panel
        self.loop = loop
        self.route = route
        outcomeLength = outcome
    }

    /// Shows the outcome. Driving the lamps itself, it waits until the outcome has been shown and then turns
    /// every lamp off; through the daemon it returns at once.
    public func finish(_ outcome: ImportProgress) {
        switch route {
        case .daemon:
            // The daemon ignores a line it cannot parse, which would leave the import pattern running.
            try? file.write(ImportProgress(line: outcome.line) ?? .refused(code: "refused"))
        case .lamps:
            guard let panel else { return }
            if case .installed = outcome {
                _ = try? panel.showImportOutcome(succeeded: true)
            } else {
                _ = try? panel.showImportOutcome(succeeded: false)
            }
            loop?.kick()
            MonotonicClock.system.sleep(outcomeLength + .milliseconds(100))
            loop?.stop()
            try? panel.allOff()
        case .none:
            break
        }
    }
}
