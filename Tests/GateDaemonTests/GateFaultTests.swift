import AdmissionRules
import DaemonSupport
import Foundation
import Frames
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import HealthCredentialsTesting
import Imaging
import SystemCalls
import Testing
import TrustStore

/// Faults and reloads with the daemon in this process: a camera that goes away and comes back, a camera
/// that stops delivering (the watchdog must starve), a bundle file replaced by garbage, and a SIGHUP-style
/// reload with a changed configuration.
@Suite("Gate faults and reloads", .serialized)
struct GateFaultTests {
    /// Everything one in-process daemon needs, with its trust (bundle 1: one issuer, and these rules) installed
    /// at `now` from a PKI made in code.
    struct Harness {
        let root: TemporaryDirectory
        let sysfs: FakeGateSysfs
        let pki: GateTestPKI
        let issuer: TestIssuer
        let anchors: String
        let notify: NotifyCollector
        let recorder = LampRecorder()
        let logs = Collected<String>()

        init(rules: RuleSet? = nil, valueSets: ValueSets? = nil, now: Date = Date()) throws {
            root = try TemporaryDirectory("gd", shortPath: true)
            sysfs = try FakeGateSysfs(in: root)
            pki = try GateTestPKI()
            issuer = try TestIssuer()
            anchors = try pki.writeAnchor(into: root, folder: "anchors")
            notify = try NotifyCollector(path: root.path + "/notify.sock")
            try install(sequence: 1, rules: rules, valueSets: valueSets, now: now)
        }

        /// Installs a bundle with the issuer and these rules, as `gatecheck trust import` would at `now`.
        func install(sequence: UInt64, rules: RuleSet?, valueSets: ValueSets?, now: Date) throws {
            let bundle = try pki.bundle(sequence: sequence, signers: [issuer], rules: rules, valueSets: valueSets, now: now)
            try TrustStoreDirectory(path: root.path + "/state")
                .install(from: root.write("in/bundle-\(sequence)", bundle), anchors: [pki.anchor.certificate], now: now)
        }

        /// With `country`, a `[policy]` that admits under that country's rules.
        func configurationText(socket: String = "status.sock", country: String? = nil) -> String {
            """
            state_dir = "\(root.path)/state"
            anchors_dir = "\(anchors)"
            \(country.map { "[policy]\ncountry = \"\($0)\"" } ?? "")
            [timings]
            fault_blink_ms = 50
            [status]
            socket = "\(root.path)/\(socket)"

            """ + sysfs.configurationText
        }

        func options(source: some FrameSource & Sendable) -> GateOptions {
            var options = GateOptions()
            options.frameInput = .custom { source }
            options.notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": notify.path])
            options.watchdog = SystemdWatchdog(timeout: .milliseconds(200))
            options.wrapOutput = { [recorder] role, output in RecordingOutput(role: role, inner: output, recorder: recorder) }
            options.logLine = { [logs] in logs.append($0) }
            return options
        }

        func status(_ socket: String = "status.sock") -> StatusSnapshot? {
            guard let bytes = try? StatusSocketClient.fetch(path: root.path + "/" + socket) else { return nil }
            return try? StatusSnapshot(json: bytes)
        }

        func count(_ line: String) -> Int { notify.lines.filter { $0 == line }.count }
    }

    @Test func cameraLossShowsTheFaultRecoveryClearsItAndOnlyFramesFeedTheWatchdog() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let camera = CameraScript(.lost)
        let configuration = try DaemonConfiguration.parse(harness.configurationText(), file: "faults.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: camera))
        let running = Task { try await daemon.run() }

        #expect(await eventuallyAsync(within: 120) { harness.status()?.faults == [.cameraLost] }, "camera-lost reported")
        #expect(await eventuallyAsync { harness.recorder.events.filter { $0.description == "fault on" }.count >= 2 }, "amber blinks")
        #expect(harness.count("READY=1") == 0, "not ready without frames")
        #expect(harness.count("WATCHDOG=1") == 0, "no watchdog without frames")
        #expect(harness.notify.lines.contains { $0.hasPrefix("STATUS=FAULT camera-lost") })

        camera.mode = .frames
        #expect(await eventuallyAsync { harness.status()?.faults == [] }, "fault cleared once frames arrive")
        let recovered = try #require(harness.status())
        #expect(recovered.state == .ready)
        #expect(recovered.cameraReconnects == 1)
        #expect(recovered.cameraFaults >= 1)
        #expect(await eventuallyAsync { harness.count("READY=1") == 1 && harness.count("WATCHDOG=1") >= 2 })
        #expect(await eventuallyAsync { harness.sysfs.brightnessOrNil("gatecheck-amber") == "0" }, "amber off again")

        camera.mode = .silent
        #expect(await eventuallyAsync { harness.status()?.faults == [.cameraStalled] }, "a silent camera is a fault")
        let fed = harness.count("WATCHDOG=1")
        try await Task.sleep(for: .milliseconds(600))
        #expect(harness.count("WATCHDOG=1") == fed, "the watchdog starves while no frame is scanned")

        await daemon.stop()
        try await running.value
        #expect(harness.sysfs.brightnessOrNil("gatecheck-amber") == "0")
    }

    @Test func aBundleThatDoesNotVerifyKeepsTheTrustInUseAndALaterGoodOneIsPickedUp() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let configuration = try DaemonConfiguration.parse(harness.configurationText(), file: "trust.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: CameraScript(.frames)))
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })
        #expect(harness.status()?.trustSequence == 1)

        // Someone replaces the installed file behind the store's back.
        try harness.root.write("state/.garbage", "not a bundle")
        #expect(rename(harness.root.path + "/state/.garbage", harness.root.path + "/state/trust.bundle") == 0)
        #expect(await eventuallyAsync { harness.logs.items.contains { $0.contains("trust-invalid") } }, "the bad file is reported")
        let during = try #require(harness.status())
        #expect(during.trustSequence == 1, "the verified trust stays in use")
        #expect(during.faults.isEmpty)

        let newcomer = try TestIssuer()
        try TrustStoreDirectory(path: configuration.stateDirectory).install(
            from: harness.root.write("in/bundle-2", harness.pki.bundle(sequence: 2, signers: [newcomer])),
            anchors: [harness.pki.anchor.certificate], now: Date())
        #expect(await eventuallyAsync { harness.status()?.trustSequence == 2 }, "a good bundle is picked up")
        #expect(harness.status()?.trustReloads == 2)

        await daemon.stop()
        try await running.value
    }

    @Test func aUSBImportShowsItsPatternThenItsOutcomeAndNeverTheRelay() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let configuration = try DaemonConfiguration.parse(harness.configurationText(), file: "import.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: CameraScript(.frames)))
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })

        let progress = ImportProgressFile(besideStatusSocket: configuration.status.socketPath)
        let mark = harness.recorder.events.count
        try progress.write(.running)
        // The import pattern: amber and green alternate.
        #expect(await eventuallyAsync {
            let seen = harness.recorder.events.dropFirst(mark).map(\.description)
            return seen.filter { $0 == "fault on" }.count >= 2 && seen.filter { $0 == "pass on" }.count >= 2
        }, "import pattern shown")
        try progress.write(.installed(sequence: 2))
        #expect(await eventuallyAsync { !FileManager.default.fileExists(atPath: progress.path) }, "the daemon consumed the outcome")
        #expect(try await eventuallyAsync { try harness.sysfs.brightness("gatecheck-green") == "1" && harness.sysfs.brightness("gatecheck-amber") == "1" },
                "installed: green and amber together")
        #expect(!harness.recorder.events.dropFirst(mark).contains { $0.description == "relay on" }, "an import never opens the gate")
        #expect(harness.logs.items.contains { $0.contains("installed bundle 2") })

        try progress.write(.refused(code: "rollback"))
        #expect(await eventuallyAsync { harness.logs.items.contains { $0.contains("refused (rollback)") } })
        #expect(try await eventuallyAsync { try harness.sysfs.brightness("gatecheck-red") == "1" }, "refused: red blinks")

        await daemon.stop()
        try await running.value
    }

    @Test func reloadWithAChangedConfigurationRestartsTheGateWithIt() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let path = try harness.root.write("gatecheck.conf", harness.configurationText(socket: "first.sock"))
        var options = harness.options(source: CameraScript(.frames))
        options.configurationPath = path
        let daemon = GateDaemon(configuration: try DaemonConfiguration.load(path: path), options: options)
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status("first.sock")?.state == .ready })

        try harness.root.write("gatecheck.conf", harness.configurationText(socket: "second.sock"))
        await daemon.reload()
        #expect(await eventuallyAsync { harness.status("second.sock")?.state == .ready }, "the new configuration runs")
        #expect(!FileManager.default.fileExists(atPath: harness.root.path + "/first.sock"), "the old socket is gone")
        #expect(harness.notify.lines.contains("RELOADING=1"))
        #expect(await eventuallyAsync { harness.count("READY=1") == 2 })
        #expect(harness.logs.items.contains { $0.contains("configuration changed") })

        // An unchanged file reloads trust only: the same socket keeps serving.
        await daemon.reload()
        #expect(await eventuallyAsync { harness.count("READY=1") == 3 })
        #expect(harness.status("second.sock")?.state == .ready)

        await daemon.stop()
        try await running.value
    }

    /// Each generation maps the installed bundle; a gate that outlived its generation would keep its mapping (and
    /// everything else it holds). The soak found every restart leaking one; now the count stays at one.
    @Test func aGateRestartedByAReloadIsFreedWithItsTrust() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        // A revocation table: the part of a bundle that is mapped rather than read.
        let revoking = try harness.pki.bundle(sequence: 2, signers: [harness.issuer], revokedUCIs: ["URN:UVCI:01:XX:REVOKED0001"])
        try TrustStoreDirectory(path: harness.root.path + "/state")
            .install(from: harness.root.write("in/bundle-2", revoking), anchors: [harness.pki.anchor.certificate], now: Date())
        let bundle = harness.root.path + "/state/"
        // Read to the end: /proc files report a size of 0, so a read of "the whole file" by its size gets nothing.
        let maps = { String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(), as: UTF8.self) }
        let mappings = { maps().split(separator: "\n").filter { $0.contains(bundle) }.count }
        let path = try harness.root.write("gatecheck.conf", harness.configurationText(socket: "s0.sock"))
        var options = harness.options(source: CameraScript(.frames))
        options.configurationPath = path
        let daemon = GateDaemon(configuration: try DaemonConfiguration.load(path: path), options: options)
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status("s0.sock")?.state == .ready })
        #expect(mappings() == 1, "the running gate maps its bundle once")

        for restart in 1...3 {
            try harness.root.write("gatecheck.conf", harness.configurationText(socket: "s\(restart).sock"))
            await daemon.reload()
            #expect(await eventuallyAsync { harness.status("s\(restart).sock")?.state == .ready }, "restart \(restart)")
            #expect(await eventuallyAsync { mappings() == 1 }, "after restart \(restart): \(mappings()) mappings of the bundle")
        }

        await daemon.stop()
        try await running.value
    }
}

/// A camera the test switches between delivering blank frames, being unplugged and staying silent.
final class CameraScript: FrameSource, @unchecked Sendable {
    enum Mode { case frames, lost, silent }
    private let lock = NSLock()
    private var current: Mode
    private var sequence: UInt64 = 0
    private let blank = try! GreyImage(width: 64, height: 48, pixels: [UInt8](repeating: 255, count: 64 * 48))

    init(_ mode: Mode) { current = mode }

    var mode: Mode {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    var description: String { "scripted camera" }

    func nextFrame() throws(FrameSourceError) -> Frame? {
        switch mode {
        case .frames:
            usleep(20_000)
            sequence += 1
            return Frame(image: blank, sequence: sequence, captured: .now())
        case .lost:
            usleep(20_000)
            throw FrameSourceError(.deviceLost, "scripted: unplugged")
        case .silent:
            usleep(50_000)
            throw FrameSourceError(.timeout, "scripted: no frame")
        }
    }

    func close() {}
}

extension FakeGateSysfs {
    func brightnessOrNil(_ led: String) -> String? { try? brightness(led) }
}
