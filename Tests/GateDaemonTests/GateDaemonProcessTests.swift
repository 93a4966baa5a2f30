import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateVocabulary
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustStore

import Glibc

/// The built `gatecheckd` as systemd would run it: a configuration file, a fake sysfs tree, `$NOTIFY_SOCKET`
/// and `$WATCHDOG_USEC`, frames replayed from a folder. Credentials carry a canary holder, and at the end every
/// log line, counter output and file the daemon wrote is searched for it.
@Suite("gatecheckd process", .serialized)
struct GateDaemonProcessTests {
    @Test func runsReloadsPicksUpTrustStopsAndNeverWritesPersonalData() throws {
        guard let daemonBinary = builtExecutable("gatecheckd"), let cli = builtExecutable("gatecheck") else {
            Issue.record("gatecheckd and gatecheck must be built beside the tests")
            return
        }
        let root = try TemporaryDirectory("gd", shortPath: true)
        let sysfs = try FakeGateSysfs(in: root)
        let pki = try GateTestPKI()
        let anchors = try pki.writeAnchor(into: root, folder: "anchors")
        let known = try TestIssuer(notBefore: Date().addingTimeInterval(-3_650 * 86_400), notAfter: Date().addingTimeInterval(3_650 * 86_400))
        let newcomer = try TestIssuer(notBefore: Date().addingTimeInterval(-3_650 * 86_400), notAfter: Date().addingTimeInterval(3_650 * 86_400))
        let state = root.path + "/state"
        let store = TrustStoreDirectory(path: state)
        try store.install(from: root.write("in/bundle-1", pki.bundle(sequence: 1, signers: [known])), anchors: [pki.anchor.certificate], now: Date())

        // The canary really is in what the camera sees: the verifier reads it back.
        let valid = try known.hc1(Canary.credential())
        let holder = HC1Verifier(trustList: known.trustList).verify(payload: valid, in: VerificationContext(now: Date())).holder
        #expect(holder?.familyName == Canary.familyName)
        #expect(holder?.dateOfBirth == Canary.dateOfBirth)
        _ = try frameFile(valid, in: root, named: "frames/1-valid.pgm")
        _ = try frameFile(known.hc1(Canary.credential(.test, expired: true)), in: root, named: "frames/2-expired.pgm")
        _ = try frameFile(newcomer.hc1(Canary.credential()), in: root, named: "frames/3-new-signer.pgm")

        try FileManager.default.createDirectory(atPath: root.path + "/metrics", withIntermediateDirectories: true)
        let configurationPath = try root.write("gatecheck.conf", """
            state_dir = "\(state)"
            anchors_dir = "\(anchors)"
            log_level = "trace"
            dedup_window_ms = 1_000
            [status]
            socket = "\(root.path)/status.sock"
            prometheus_textfile = "\(root.path)/metrics/gatecheck.prom"

            """ + sysfs.configurationText)
        let notify = try NotifyCollector(path: root.path + "/notify.sock")
        defer { notify.stop() }

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: daemonBinary)
        daemon.arguments = ["--config", configurationPath, "--replay", root.path + "/frames", "--replay-fps", "10", "--replay-loop"]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "1000000"
        environment.removeValue(forKey: "WATCHDOG_PID")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        daemon.environment = environment
        let stderrPath = try root.write("daemon.stderr", "")
        daemon.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        daemon.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: root.write("daemon.stdout", "")))
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let socket = root.path + "/status.sock"
        var outputs: [String] = []
        func status() -> StatusSnapshot? {
            guard let bytes = try? StatusSocketClient.fetch(path: socket) else { return nil }
            outputs.append(String(decoding: bytes, as: UTF8.self))
            return try? StatusSnapshot(json: bytes)
        }
        func log() -> String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        // READY once frames arrive and trust is loaded; the watchdog is fed from the scan loop.
        #expect(eventually(within: 90) { notify.lines.contains("READY=1") }, "READY=1; log:\n\(log())")
        #expect(eventually(within: 10) { notify.lines.contains("WATCHDOG=1") })
        #expect(eventually(within: 20) {
            guard let snapshot = status() else { return false }
            return snapshot.passes >= 1 && snapshot.failsByReason[.expired, default: 0] >= 1
                && snapshot.failsByReason[.unknownSigner, default: 0] >= 1
        }, "decisions for all three frames")

        // `gatecheck status` shows the live counters.
        let text = try runProcess(cli, ["status", "--socket", socket])
        outputs.append(text.standardOutput)
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("READY"))
        #expect(text.standardOutput.contains("unknown-signer"))
        let json = try runProcess(cli, ["status", "--socket", socket, "--json"])
        outputs.append(json.standardOutput)
        #expect(try StatusSnapshot(json: Array(json.standardOutput.utf8)).trustSequence == 1)

        // A new bundle dropped into the state directory (what `gatecheck trust import` does) is picked up,
        // and the newcomer's credential passes from then on.
        let newcomerKid = Decision.KeyIdentifier(newcomer.kid)!.description
        try store.install(
            from: root.write("in/bundle-2", pki.bundle(sequence: 2, signers: [known, newcomer])), anchors: [pki.anchor.certificate],
            now: Date())
        #expect(eventually(within: 15) { status()?.trustSequence == 2 }, "bundle 2 picked up; log:\n\(log())")
        #expect(eventually(within: 15) { log().contains("verdict=pass format=hc1 reason=none type=vaccination country=XX kid=\(newcomerKid)") })

        // SIGHUP with a broken file: refused with file, line and key; the daemon keeps running and says READY again.
        let readyBefore = notify.lines.filter { $0 == "READY=1" }.count
        try root.write("gatecheck.conf", "state_dir = \"\(state)\"\ndedup_window_ms = \"soon\"\n")
        kill(daemon.processIdentifier, SIGHUP)
        #expect(eventually(within: 10) { log().contains("reload refused") })
        #expect(log().contains("gatecheck.conf:2"), "the refusal names file and line")
        #expect(log().contains("dedup_window_ms"), "the refusal names the key")
        #expect(notify.lines.contains("RELOADING=1"))
        #expect(eventually(within: 10) { notify.lines.filter { $0 == "READY=1" }.count > readyBefore })
        #expect(status()?.state == .ready, "still deciding with the old configuration")

        // SIGTERM: STOPPING=1, exit 0, every output off and the relay locked.
        kill(daemon.processIdentifier, SIGTERM)
        #expect(eventually(within: 15) { !daemon.isRunning })
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0, "log:\n\(log())")
        #expect(notify.lines.contains("STOPPING=1"))
        #expect(try sysfs.gpioValue(offset: FakeGateSysfs.relayOffset) == "0")
        for led in ["gatecheck-green", "gatecheck-red", "gatecheck-amber"] {
            #expect(try sysfs.brightness(led) == "0")
        }
        #expect(!FileManager.default.fileExists(atPath: socket))

        // No personal data anywhere: log, notify messages, status outputs, and every file under the tree
        // (state directory, sysfs, metrics) except the frames and bundles the test itself wrote.
        #expect(log().contains("verdict="), "the search below must cover real verdict lines")
        var searched: [(String, String)] = [("stderr", log()), ("notify", notify.messages.joined(separator: "\n"))]
        searched += outputs.map { ("status output", $0) }
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            guard !relative.hasPrefix("frames"), !relative.hasPrefix("in/") else { continue }
            let path = root.path + "/" + relative
            if let data = FileManager.default.contents(atPath: path) {
                searched.append((relative, String(decoding: data, as: UTF8.self)))
            }
        }
        #expect(searched.contains { $0.0 == "metrics/gatecheck.prom" }, "the Prometheus file was written and searched")
        for (name, content) in searched {
            #expect(Canary.hits(in: content).isEmpty, "personal data in \(name)")
        }
    }

    @Test func invalidConfigurationStopsTheStartWithOneLineNamingFileLineAndKey() throws {
        guard let daemonBinary = builtExecutable("gatecheckd") else {
            Issue.record("gatecheckd must be built beside the tests")
            return
        }
        let root = try TemporaryDirectory("gd", shortPath: true)
        let path = try root.write("bad.conf", "log_level = \"info\"\n\n[timings]\npass_ms = 5\n")
        let result = try runProcess(daemonBinary, ["--config", path])
        #expect(result.status == 78)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.standardError)")
        #expect(result.standardError.contains("bad.conf:4"))
        #expect(result.standardError.contains("timings.pass_ms"))
    }
}
