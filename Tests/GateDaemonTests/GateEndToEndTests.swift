import DaemonSupport
import Foundation
import Frames
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import HealthCredentials
import Lamps
import Testing
import TrustStore

/// The daemon in this process on the committed demo frames, one frame at a time, with the lamps on a fake
/// sysfs tree and a test notify socket: the exact lamp and relay sequence per frame, READY and WATCHDOG, the
/// status socket, and a graceful stop that leaves every output off and the relay locked.
@Suite("Gate end to end (in process)", .serialized)
struct GateEndToEndTests {
    @Test func demoFramesDriveTheExactLampAndRelaySequence() async throws {
        let demo = try GateDemo(directory: repositoryRoot + "/demo")
        let root = try TemporaryDirectory("gd", shortPath: true)
        let sysfs = try FakeGateSysfs(in: root)
        try FileManager.default.createDirectory(atPath: root.path + "/metrics", withIntermediateDirectories: true)
        let configurationText = """
            state_dir = "\(root.path)/state"
            anchors_dir = "\(demo.anchorsDirectory)"
            [timings]
            pass_ms = 300
            fail_ms = 300
            relay_pulse_ms = 100
            [status]
            socket = "\(root.path)/status.sock"
            prometheus_textfile = "\(root.path)/metrics/gatecheck.prom"

            """ + sysfs.configurationText
        var configuration = try DaemonConfiguration.parse(configurationText, file: "e2e.conf")
        // Installs the demo bundle; its policy admits under the bundle's rule country, as `gatecheckd --demo` does.
        configuration.policy = try demo.prepare(stateDirectory: configuration.stateDirectory).policy
        #expect(configuration.policy.arrivalCountry != nil, "the demo bundle carries the rules of a country")

        let source = try SteppedFrameSource(files: demo.cases.map { demo.framesDirectory + "/" + $0.file })
        let recorder = LampRecorder()
        let decisions = Collected<GateDecision>()
        let logs = Collected<String>()
        let notify = try NotifyCollector(path: root.path + "/notify.sock")
        defer { notify.stop() }
        var options = GateOptions()
        options.frameInput = .custom { source }
        options.notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": notify.path])
        options.watchdog = SystemdWatchdog(timeout: .milliseconds(200))
        options.wrapOutput = { role, output in RecordingOutput(role: role, inner: output, recorder: recorder) }
        options.onDecision = { decisions.append($0) }
        options.logLine = { logs.append($0) }

        let daemon = GateDaemon(configuration: configuration, options: options)
        let running = Task { try await daemon.run() }

        // Start-up drives every output to rest, relay first (it was left energised in the fake tree).
        // Generous: with the whole suite running, the daemon's task may wait for a free thread.
        #expect(await eventuallyAsync(within: 120) { recorder.events.count >= 5 })
        #expect(recorder.events.prefix(5).map(\.description) == ["relay off", "buzzer off", "pass off", "fail off", "fault off"])
        #expect(try sysfs.gpioValue(offset: FakeGateSysfs.relayOffset) == "0")
        for led in ["gatecheck-green", "gatecheck-red", "gatecheck-amber"] {
            #expect(try sysfs.trigger(led) == "none", "the LED's kernel trigger is switched off at start")
        }

        for (index, expected) in demo.cases.enumerated() {
            let mark = recorder.events.count
            source.release()
            // The first decision also waits for the scanner's start-up, which the whole suite can slow as much
            // as the lamps' start-up above.
            #expect(await eventuallyAsync(within: index == 0 ? 120 : 10) { decisions.items.count == index + 1 }, "no decision for \(expected.file)")
            let wanted =
                expected.verdict == "pass"
                ? ["relay on", "pass on", "relay off", "pass off"]
                : ["buzzer on", "fail on", "buzzer off", "fail off"]
            #expect(await eventuallyAsync { recorder.events.count >= mark + wanted.count }, "lamps for \(expected.file)")
            try await Task.sleep(for: .milliseconds(100))  // nothing more may follow once the verdict has ended
            #expect(recorder.events.dropFirst(mark).map(\.description) == wanted, "lamp sequence for \(expected.file)")
            let decision = try #require(decisions.items.last)
            #expect(decision.line.verdict.rawValue == expected.verdict, "\(expected.file)")
            if expected.reason != "-" { #expect(decision.line.reasonWord == expected.reason, "\(expected.file)") }
            #expect(decision.line.failedRules.map(\.identifier) == expected.rules, "\(expected.file)")
            #expect(demo.matches(decision), "\(expected.file)")
        }

        #expect(notify.lines.contains("READY=1"))
        #expect(notify.lines.contains("WATCHDOG=1"), "the scan loop feeds the watchdog")
        let readyIndex = try #require(notify.lines.firstIndex(of: "READY=1"))
        #expect(notify.lines[readyIndex...].contains { $0.hasPrefix("STATUS=ready") }, "STATUS= says ready")

        let status = try StatusSnapshot(json: StatusSocketClient.fetch(path: configuration.status.socketPath))
        #expect(status.state == .ready)
        #expect(status.faults.isEmpty)
        let passing = demo.cases.filter { $0.verdict == "pass" }.count
        let failing = demo.cases.filter { $0.verdict == "fail" }
        #expect(status.passes == UInt64(passing))
        #expect(status.fails == UInt64(failing.count))
        #expect(status.failsByReason == failing.reduce(into: [CredentialError.Code?: UInt64]()) { $0[VerdictLine.reason(word: $1.reason), default: 0] += 1 })
        let ruleFails = failing.reduce(into: [String: UInt64]()) { counts, frame in
            for rule in frame.rules ?? [] { counts[rule, default: 0] += 1 }
        }
        #expect(!ruleFails.isEmpty, "a demo frame fails an admission rule")
        #expect(status.failsByRule == ruleFails)
        #expect(status.decodeErrors == 1)
        // By format: the decisions' own formats, counted as the verdict lines name them.
        #expect(status.passesByFormat.values.reduce(0, +) == UInt64(passing))
        #expect(status.failsByFormat.values.reduce(0, +) == UInt64(failing.count))
        #expect(status.passesByFormat[.shc] == 1, "the demo's SMART Health Card frame passes")
        #expect(status.failsByFormat[.unknown] == 1, "the demo's menu link is no credential format")
        #expect(status.scans == UInt64(demo.cases.count))
        #expect(status.trustSequence == 1)

        await daemon.stop()
        try await running.value

        #expect(notify.lines.contains("STOPPING=1"))
        #expect(try sysfs.gpioValue(offset: FakeGateSysfs.relayOffset) == "0", "relay locked after stop")
        #expect(try sysfs.gpioValue(offset: FakeGateSysfs.buzzerOffset) == "0")
        for led in ["gatecheck-green", "gatecheck-red", "gatecheck-amber"] {
            #expect(try sysfs.brightness(led) == "0", "\(led) off after stop")
        }
        #expect(!FileManager.default.fileExists(atPath: configuration.status.socketPath), "status socket removed")
        let metrics = try String(contentsOfFile: root.path + "/metrics/gatecheck.prom", encoding: .utf8)
        #expect(metrics.contains("gatecheck_verdicts_total{verdict=\"pass\"} \(passing)\n"))
        for (rule, count) in ruleFails {
            #expect(metrics.contains("gatecheck_rule_fails_total{rule=\"\(rule)\"} \(count)\n"))
        }
        #expect(logs.items.filter { $0.contains("camera: streaming from stepped replay") }.count == 1, "what the camera streams is logged once")
        let verdictLines = logs.items.filter { $0.contains("verdict=") }
        #expect(verdictLines.count == demo.cases.count, "one verdict line per decision")
        for (line, expected) in zip(verdictLines, demo.cases) {
            #expect(line.contains(" rules=") == (expected.rules?.isEmpty == false), "\(expected.file): \(line)")
            for rule in expected.rules ?? [] { #expect(line.contains(rule), "\(expected.file): \(line)") }
        }
    }

    @Test func withoutTrustNothingPassesAndTheFaultLampBlinks() async throws {
        let demo = try GateDemo(directory: repositoryRoot + "/demo")
        let root = try TemporaryDirectory("gd", shortPath: true)
        let sysfs = try FakeGateSysfs(in: root)
        let configuration = try DaemonConfiguration.parse(
            """
            state_dir = "\(root.path)/empty-state"
            anchors_dir = "\(demo.anchorsDirectory)"
            [timings]
            fault_blink_ms = 50
            [status]
            socket = "\(root.path)/status.sock"

            """ + sysfs.configurationText, file: "no-trust.conf")
        let source = try SteppedFrameSource(files: [demo.framesDirectory + "/" + demo.cases[0].file])
        let recorder = LampRecorder()
        let decisions = Collected<GateDecision>()
        var options = GateOptions()
        options.frameInput = .custom { source }
        options.notifier = SystemdNotifier(environment: [:])
        options.watchdog = nil
        options.wrapOutput = { role, output in RecordingOutput(role: role, inner: output, recorder: recorder) }
        options.onDecision = { decisions.append($0) }
        options.logLine = { _ in }
        let daemon = GateDaemon(configuration: configuration, options: options)
        let running = Task { try await daemon.run() }

        #expect(await eventuallyAsync(within: 120) { recorder.events.filter { $0.description == "fault on" }.count >= 2 }, "amber blinks")
        source.release()
        #expect(await eventuallyAsync { decisions.items.count == 1 })
        let decision = try #require(decisions.items.first)
        #expect(decision.line.verdict == .fail, "a valid credential must not pass without installed trust")
        #expect(decision.line.reason == .trustStale)
        #expect(!recorder.events.contains { $0.description == "relay on" })
        let status = try StatusSnapshot(json: StatusSocketClient.fetch(path: configuration.status.socketPath))
        #expect(status.state == .fault)
        #expect(status.faults == [.trustMissing])

        await daemon.stop()
        try await running.value
        #expect(try sysfs.brightness("gatecheck-amber") == "0")
    }
}

/// Frames from files, one per `release()`: lets a test look at the lamps between frames.
final class SteppedFrameSource: FrameSource, @unchecked Sendable {
    // @unchecked: `inner` is used by the pipeline's capture thread only; the semaphore is thread-safe.
    private let inner: ReplayFrameSource
    private let count: Int
    private var delivered = 0
    private let permits = DispatchSemaphore(value: 0)

    init(files: [String]) throws {
        inner = try ReplayFrameSource(files: files, framesPerSecond: nil)
        count = files.count
    }

    var description: String { "stepped \(inner.description)" }

    func release() { permits.signal() }

    func nextFrame() throws(FrameSourceError) -> Frame? {
        guard delivered < count else { return nil }
        guard permits.wait(timeout: .now() + 60) == .success else {
            throw FrameSourceError(.timeout, "the test released no frame for 60 s")
        }
        delivered += 1
        return try inner.nextFrame()
    }

    func close() { inner.close() }
}

/// Every level written to the outputs, in order.
final class LampRecorder: @unchecked Sendable {
    struct Event: CustomStringConvertible {
        let role: LampRole
        let on: Bool
        var description: String { "\(role) \(on ? "on" : "off")" }
    }

    private let lock = NSLock()
    private var recorded: [Event] = []

    func record(_ role: LampRole, _ on: Bool) { lock.withLock { recorded.append(Event(role: role, on: on)) } }
    var events: [Event] { lock.withLock { recorded } }
}

/// A real output whose writes are also recorded (only successful ones).
struct RecordingOutput: Lamps.LampOutput {
    let role: LampRole
    let inner: any Lamps.LampOutput
    let recorder: LampRecorder
    var name: String { inner.name }

    func set(_ on: Bool) throws(LampError) {
        try inner.set(on)
        recorder.record(role, on)
    }
}
