import ArgumentParser
import DaemonSupport
import FoundationEssentials
import GateDaemon
import GateVocabulary
import Glibc
import ScanPipeline
import SystemCalls

/// The `gatecheckd` program: run by the `gatecheckd` executable of a build tree, and by the installed
/// `gatecheck` when it is called as `gatecheckd` (one multi-call binary in the package).
public enum GateDaemonProgram {
    public static func main() async {
        await GateDaemonCommand.main()
    }
}

/// `gatecheckd`: parses flags, loads the configuration and runs the gate. Everything else lives in GateDaemon.
struct GateDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatecheckd",
        abstract: "The GateCheck daemon: camera → QR → offline verification → lamps and gate relay.",
        discussion: """
            Runs under systemd (Type=notify): READY=1 once frames arrive and trust is read, WATCHDOG=1 from the scan \
            loop, SIGHUP reloads configuration and trust, SIGTERM stops with the lamps off and the relay locked. \
            Exit status: 0 after a clean stop, 1 when the gate cannot run, 78 for an invalid configuration.
            """,
        version: GateCheckVersion.current
    )

    @Option(name: .customLong("config"), help: "Configuration file.")
    var configurationPath = DaemonConfiguration.defaultPath

    @Flag(name: .customLong("check-config"), help: "Validate the configuration file and exit.")
    var checkConfiguration = false

    @Flag(name: .customLong("demo"), help: "Run the real pipeline on the recorded demo frames with console lamps (no camera, root or configuration needed).")
    var demo = false

    @Option(name: .customLong("demo-dir"), help: "The demo folder (default: $GATECHECK_DEMO_DIR, ./demo, or /usr/share/gatecheck/demo).")
    var demoDirectory: String?

    @Option(name: .customLong("seconds-per-frame"), help: "Demo: how long each recorded frame is held up.")
    var secondsPerFrame = 2.5

    @Option(name: .customLong("replay"), help: "Read frames from this folder of images instead of the camera (testing).")
    var replayFolder: String?

    @Option(name: .customLong("replay-fps"), help: "Frame rate of --replay.")
    var replayFramesPerSecond = 10.0

    @Flag(name: .customLong("replay-loop"), help: "Replay the folder over and over.")
    var replayLoops = false

    func validate() throws {
        guard secondsPerFrame > 0, secondsPerFrame.isFinite else { throw ValidationError("--seconds-per-frame must be positive") }
        guard replayFramesPerSecond > 0, replayFramesPerSecond.isFinite else { throw ValidationError("--replay-fps must be positive") }
        if demo, replayFolder != nil { throw ValidationError("--demo brings its own frames; drop --replay") }
    }

    func run() async throws {
        if demo { return try await runDemo() }
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(path: configurationPath)
        } catch {
            printToStandardError("gatecheckd: \(error); fix the configuration file and check it with `gatecheckd --check-config`")
            throw ExitCode(78)
        }
        if checkConfiguration {
            print("\(configurationPath): OK")
            return
        }
        var options = GateOptions()
        options.configurationPath = configurationPath
        if let replayFolder {
            do {
                options.frameInput = try .replay(folder: replayFolder, framesPerSecond: replayFramesPerSecond, loops: replayLoops)
            } catch {
                throw ValidationError("--replay: \(error)")
            }
        }
        do {
            try await GateDaemon(configuration: configuration, options: options).run()
        } catch {
            printToStandardError("gatecheckd: \(error)")
            throw ExitCode(1)
        }
    }

    private func runDemo() async throws {
        guard let directory = demoDirectory ?? GateDemo.locate() else {
            throw ValidationError("no demo folder found: run from the repository root or pass --demo-dir")
        }
        var demo = try GateDemo(directory: directory)
        demo.secondsPerFrame = secondsPerFrame
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("gatecheck-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        var configuration = try demo.prepare(stateDirectory: state)
        configuration.logLevel = .warning

        let started = ContinuousClock.now
        let stamp: @Sendable () -> String = {
            let elapsed = ContinuousClock.now - started
            return FixedPoint.text(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, places: 2, width: 6) + "s"
        }
        let outcomes = DemoOutcomes()
        var options = GateOptions()
        options.frameInput = demo.frameInput
        options.stopWhenFramesEnd = true
        options.notifier = SystemdNotifier(environment: [:])
        options.watchdog = nil
        options.consoleWrite = { say("  \(stamp())      \($0)") }
        options.onDecision = { [demo] decision in
            outcomes.record(demo.matches(decision))
            say("\n\(stamp())  \(demo.narrate(decision))")
        }

        say("""
            GateCheck demo: the real pipeline (zbar, HC1 decoding, signature and policy checks, trust store, lamp panel)
            on \(demo.cases.count) recorded frames from \(directory), one every \(secondsPerFrame) s. DEMO keys only.
            Lamp changes print as [lamp] lines; status: gatecheck status --socket \(configuration.status.socketPath)
            """)
        let daemon = GateDaemon(configuration: configuration, options: options)
        do {
            try await daemon.run()
        } catch {
            printToStandardError("gatecheckd: \(error)")
            throw ExitCode(1)
        }
        let snapshot = daemon.snapshot()
        let reasons = snapshot.failsByReason.map { (VerdictLine.word($0.key), $0.value) }.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1)" }
        let rules = snapshot.failsByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        say("""

            Counters: \(snapshot.scans) frames scanned, \(snapshot.codesRead) codes read, \(snapshot.passes) passed, \
            \(snapshot.fails) failed (\(reasons.joined(separator: ", "))), \(snapshot.decodeErrors) decode errors
            Rules that refused: \(rules.isEmpty ? "none" : rules.joined(separator: ", "))
            Trust: bundle \(snapshot.trustSequence.map(String.init) ?? "none"); faults: \
            \(snapshot.faults.isEmpty ? "none" : snapshot.faults.map(\.rawValue).joined(separator: ", "))
            Decisions as expected: \(outcomes.matched) of \(demo.cases.count)
            """)
        if outcomes.matched != demo.cases.count || outcomes.total != demo.cases.count { throw ExitCode(1) }
    }
}

/// Tallies the demo's decisions against expected.tsv (called on the scan thread).
private final class DemoOutcomes: @unchecked Sendable {
    private let lock = ConditionLock()
    private var counts = (matched: 0, total: 0)

    func record(_ matched: Bool) {
        lock.withLock {
            counts.total += 1
            if matched { counts.matched += 1 }
        }
    }

    var matched: Int { lock.withLock { counts.matched } }
    var total: Int { lock.withLock { counts.total } }
}

/// Unbuffered, so each lamp change shows when it happens even through a pipe (`make demo | tee`).
@Sendable func say(_ text: String) {
    print(text)
    fflush(nil)  // every stream: `stdout` itself is a C global that Swift 6 will not touch
}

func printToStandardError(_ line: String) {
    JournalLogHandler.writeToStandardError(line + "\n")
}
