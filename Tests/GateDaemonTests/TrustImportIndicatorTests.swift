import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateVocabulary
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// `gatecheck trust import --config …` shows the import on the gate: through the daemon when its status
/// socket answers, on the lamps directly when it does not; the relay is never touched.
@Suite("gatecheck trust import --config")
struct TrustImportIndicatorTests {
    struct Setup {
        let root: TemporaryDirectory
        let sysfs: FakeGateSysfs
        let configurationPath: String
        let bundle: String
        let cli: String

        init() throws {
            root = try TemporaryDirectory("gd", shortPath: true)
            sysfs = try FakeGateSysfs(in: root)
            let pki = try GateTestPKI()
            let anchors = try pki.writeAnchor(into: root, folder: "anchors")
            bundle = try root.write("stick/gatecheck-trust.bundle", pki.bundle(sequence: 3, signers: [TestIssuer()]))
            configurationPath = try root.write("gatecheck.conf", """
                state_dir = "\(root.path)/state"
                anchors_dir = "\(anchors)"
                [status]
                socket = "\(root.path)/status.sock"

                """ + sysfs.configurationText)
            cli = try #require(builtExecutable("gatecheck"))
        }
    }

    @Test func withTheDaemonDownTheLampsAreDrivenDirectly() throws {
        let setup = try Setup()
        let result = try runProcess(setup.cli, ["trust", "import", "--config", setup.configurationPath, setup.bundle])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("installed sequence 3"))
        #expect(FileManager.default.fileExists(atPath: setup.root.path + "/state/trust.bundle"), "state_dir came from the configuration")
        for led in ["gatecheck-green", "gatecheck-red", "gatecheck-amber"] {
            #expect(try setup.sysfs.brightness(led) == "0", "\(led) off once the outcome was shown")
            #expect(try setup.sysfs.trigger(led) == "none", "\(led) was driven")
        }
        #expect(try setup.sysfs.gpioValue(offset: FakeGateSysfs.relayOffset) == "1", "the relay line was never written")
    }

    @Test func withTheDaemonUpTheOutcomeGoesThroughItsProgressFile() throws {
        let setup = try Setup()
        let server = try StatusSocketServer(path: setup.root.path + "/status.sock") {
            var snapshot = StatusSnapshot()
            snapshot.state = .ready
            return Array(snapshot.json().utf8)
        }
        server.start()
        defer { server.stop() }
        let result = try runProcess(setup.cli, ["trust", "import", "--config", setup.configurationPath, setup.bundle])
        #expect(result.status == 0, "\(result.standardError)")
        let progress = try setup.root.read("import-progress")
        #expect(progress == "installed 3")
        #expect(try setup.sysfs.trigger("gatecheck-green") != "none", "the daemon, not the importer, drives the lamps")

        // A refused import reports its code the same way.
        let again = try runProcess(setup.cli, ["trust", "import", "--config", setup.configurationPath, setup.bundle])
        #expect(again.status == 1)
        #expect(try setup.root.read("import-progress") == "refused rollback")
    }
}
