import Foundation
import GateCheckTestSupport
import Testing

import DaemonSupport
@testable import GateVocabulary
import HealthCredentials
import Lamps
import TrustStore
import V4L2Capture

/// The typed configuration: defaults, the documented example, validation and the one-line errors.
@Suite("Daemon configuration")
struct DaemonConfigurationTests {
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/gatecheck.conf.example").path

    @Test func emptyFileGivesDefaults() throws {
        let configuration = try DaemonConfiguration.parse("", file: "x")
        #expect(configuration == DaemonConfiguration())
        #expect(configuration.cameraDevice == "/dev/gatecheck-camera")
        #expect(configuration.stateDirectory == "/var/lib/gatecheck")
        #expect(configuration.anchorsDirectory == "/etc/gatecheck/anchors")
        #expect(configuration.status.socketPath == "/run/gatecheck/status.sock")
        #expect(configuration.status.prometheusTextfile == nil)
        #expect(configuration.lamps.pass == .led(name: "gatecheck-green"))
        #expect(configuration.lamps.relay == nil)
        #expect(configuration.trust.stale == .fail)
        #expect(configuration.logLevel == .info)
    }

    /// Docs and code cannot drift: the example names every key at its default.
    @Test func documentedExampleYieldsTheDefaults() throws {
        let configuration = try DaemonConfiguration.load(path: Self.examplePath)
        #expect(configuration == DaemonConfiguration())
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        for (table, keys) in DaemonConfiguration.schema where !table.hasPrefix("lamps.") {
            if !table.isEmpty { #expect(text.contains("[\(table)]"), "example lacks [\(table)]") }
            for key in keys {
                #expect(text.contains("\n\(key) = ") || text.contains("\n#\(key) = "), "example lacks \(key)")
            }
        }
    }

    /// The optional settings shown commented out in the example are valid when uncommented.
    @Test func documentedOptionalSettingsParse() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("#[") || line.range(of: #"^#[a-z_]+ = "#, options: .regularExpression) != nil
                ? String(line.dropFirst()) : String(line)
        }.joined(separator: "\n")
        let configuration = try DaemonConfiguration.parse(uncommented, file: "example")
        #expect(configuration.trust.maximumAge == .seconds(86_400))
        #expect(configuration.lamps.buzzer == .led(name: "gatecheck-buzzer"))
        #expect(configuration.lamps.relay == .gpio(chipLabel: "pinctrl-bcm2711", offset: 17, activeLow: false))
        #expect(configuration.status.prometheusTextfile == "/var/lib/prometheus/node-exporter/gatecheck.prom")
        // The example keeps rules = "none" after the country: an explicit "authentic only".
        #expect(configuration.policy.country == "DE")
        #expect(configuration.policy.region == "BY")
        #expect(configuration.policy.arrivalCountry == nil)
        #expect(configuration.policy.formats == CredentialFormat.supported)
        #expect(configuration.policy.profiles == CredentialProfile.allCases)
        #expect(
            configuration.cameraSettings
                == V4L2CameraSettings(
                    exposure: 30, gain: 120, focus: .fixed(200), powerLineFrequency: .hz50,
                    crop: V4L2Rectangle(left: 320, top: 180, width: 640, height: 360)))
    }

    @Test func theCameraIsConfiguredFromTheCameraTable() throws {
        let configuration = try DaemonConfiguration.parse(
            "[camera]\ndevice = \"/dev/video4\"\npoll_timeout_ms = 500\ngain = 90\ncrop = [0, 0, 640, 480]\n", file: "x")
        let camera = configuration.camera
        #expect(camera.path == "/dev/video4" && camera.pollTimeoutMilliseconds == 500)
        #expect(camera.settings == V4L2CameraSettings(gain: 90, crop: V4L2Rectangle(left: 0, top: 0, width: 640, height: 480)))
        #expect(DaemonConfiguration().camera == V4L2Camera.Configuration())
    }

    @Test func cameraControlsAreOptionalAndChecked() throws {
        #expect(DaemonConfiguration().cameraSettings == V4L2CameraSettings())
        let continuous = try DaemonConfiguration.parse(
            "[camera]\nfocus = \"continuous\"\npower_line_frequency = \"auto\"\n", file: "x")
        #expect(continuous.cameraSettings == V4L2CameraSettings(focus: .continuous, powerLineFrequency: .auto))
        #expect(continuous.cameraSettings.controlWrites.map(\.name) == ["focus_auto", "power_line_frequency"])
        for text in [
            "focus = \"fixed\"", "focus_absolute = 10", "focus = \"continuous\"\nfocus_absolute = 10", "focus = \"near\"",
            "exposure_us = 50", "exposure_us = 3050", "exposure_us = \"3ms\"", "gain = -1", "power_line_frequency = 50",
            "power_line_frequency = \"50hz\"", "crop = [0, 0, 640]", "crop = [0, 0, 8, 8]", "crop = [0, -1, 640, 360]",
            "crop = \"0,0,640,360\"", "exposure = 30",
        ] {
            #expect(throws: ConfigurationError.self, "\(text)") { try DaemonConfiguration.parse("[camera]\n\(text)\n", file: "x") }
        }
    }

    @Test func policyFormatsNarrowWhatTheGateAccepts() throws {
        #expect(DaemonConfiguration().policy.formats == CredentialFormat.supported)
        let narrowed = try DaemonConfiguration.parse("[policy]\nformats = [\"vds-nc\", \"hc1\"]\n", file: "x")
        #expect(narrowed.policy.formats == [.vdsNC, .hc1])
        let euOnly = try DaemonConfiguration.parse("[policy]\nprofiles = [\"eu-dcc\"]\n", file: "x")
        #expect(euOnly.policy.profiles == [.euDCC])
        #expect(euOnly.policy.formats == CredentialFormat.supported)
        for text in ["profiles = []", "profiles = [\"who\"]", "formats = []", "formats = [\"hc1\", \"hc1\"]", "formats = [\"divoc\"]", "formats = [\"HC1\"]", "formats = \"hc1\"", "formats = [1]"] {
            #expect(throws: ConfigurationError.self, "\(text)") { try DaemonConfiguration.parse("[policy]\n\(text)\n", file: "x") }
        }
    }

    @Test func policyCountryTurnsTheBundleRulesOn() throws {
        #expect(DaemonConfiguration().policy.arrivalCountry == nil)
        let germany = try DaemonConfiguration.parse("[policy]\ncountry = \"DE\"\n", file: "x")
        #expect(germany.policy.rules == .bundle)
        #expect(germany.policy.arrivalCountry == "DE")
        let explicit = try DaemonConfiguration.parse("[policy]\ncountry = \"AT\"\nregion = \"W\"\nrules = \"bundle\"\n", file: "x")
        #expect(explicit.policy.arrivalCountry == "AT")
        #expect(explicit.policy.region == "W")
        let off = try DaemonConfiguration.parse("[policy]\ncountry = \"AT\"\nrules = \"none\"\n", file: "x")
        #expect(off.policy.arrivalCountry == nil)
    }

    @Test(arguments: [
        "[policy]\ncountry = \"de\"\n", "[policy]\ncountry = \"DEU\"\n", "[policy]\nrules = \"bundle\"\n",
        "[policy]\nregion = \"BY\"\n", "[policy]\ncountry = \"DE\"\nrules = \"sometimes\"\n", "[policy]\ncountry = \"DE\"\nregion = \"b y\"\n",
    ])
    func policyMistakesAreRefused(text: String) {
        #expect(throws: ConfigurationError.self) { try DaemonConfiguration.parse(text, file: "x") }
    }

    @Test func updateSettingsAreRead() throws {
        let configuration = try DaemonConfiguration.parse(
            "[update]\nurl = \"https://trust.example/b\"\ndelta_url = \"https://trust.example/d\"\ninterval = 900\nca_file = \"/etc/ca.pem\"\nmax_bytes = 1_048_576\n",
            file: "x")
        var expected = UpdateConfiguration()
        expected.url = "https://trust.example/b"
        expected.deltaURL = "https://trust.example/d"
        expected.interval = .seconds(900)
        expected.caFile = "/etc/ca.pem"
        expected.maximumBytes = 1 << 20
        #expect(configuration.update == expected)
        #expect(try DaemonConfiguration.parse("", file: "x").update.url == nil)
    }

    @Test(arguments: [
        "[update]\nurl = \"http://trust.example/b\"\n", "[update]\nurl = \"https:///b\"\n", "[update]\nurl = \"https://a b/\"\n",
        "[update]\ninterval = 59\n", "[update]\nca_file = \"ca.pem\"\n", "[update]\nmax_bytes = 2_000_000_000\n", "[update]\ninterval_s = 60\n",
        "[update]\ndelta_url = \"https://trust.example/d\"\n", "[update]\nurl = \"https://trust.example/b\"\ndelta_url = \"http://trust.example/d\"\n",
    ])
    func updateMistakesAreRefused(text: String) {
        #expect(throws: ConfigurationError.self) { try DaemonConfiguration.parse(text, file: "x") }
    }

    @Test func everySettingIsRead() throws {
        let configuration = try DaemonConfiguration.parse(
            """
            state_dir = "/s"
            anchors_dir = "/a"
            log_level = "debug"
            dedup_window_ms = 0
            [camera]
            device = "/dev/video9"
            poll_timeout_ms = 500
            [trust]
            stale = "warn"
            max_trust_age_days = 7
            clock_skew_s = 60
            [timings]
            pass_ms = 1_500
            fail_ms = 2_500
            relay_pulse_ms = 800
            fault_blink_ms = 250
            [lamps]
            sysfs_root = "/tmp/sys"
            [lamps.pass]
            backend = "console"
            [lamps.fail]
            backend = "gpio"
            chip = "pinctrl-rp1"
            offset = 27
            active_low = true
            [lamps.relay]
            backend = "gpio"
            chip = "pinctrl-rp1"
            offset = 22
            [status]
            socket = "/run/x.sock"
            prometheus_textfile = "/p.prom"
            [scan]
            budget_ms = 45
            """, file: "x")
        var expected = DaemonConfiguration()
        expected.scanBudget = .milliseconds(45)
        expected.stateDirectory = "/s"
        expected.anchorsDirectory = "/a"
        expected.logLevel = .debug
        expected.dedupWindow = .zero
        expected.cameraDevice = "/dev/video9"
        expected.pollTimeout = .milliseconds(500)
        expected.trust.stale = .warn
        expected.trust.maximumAge = .seconds(7 * 86_400)
        expected.trust.clockSkew = .seconds(60)
        expected.timings.pass = .milliseconds(1_500)
        expected.timings.fail = .milliseconds(2_500)
        expected.timings.relayPulse = .milliseconds(800)
        expected.timings.faultBlinkPeriod = .milliseconds(500)
        expected.lamps.sysfsRoot = "/tmp/sys"
        expected.lamps.pass = .console
        expected.lamps.fail = .gpio(chipLabel: "pinctrl-rp1", offset: 27, activeLow: true)
        expected.lamps.relay = .gpio(chipLabel: "pinctrl-rp1", offset: 22, activeLow: false)
        expected.status.socketPath = "/run/x.sock"
        expected.status.prometheusTextfile = "/p.prom"
        #expect(configuration == expected)
    }

    @Test(arguments: [
        (
            "\n\n\n\n\n\n\n\n\n\n\ndedup_window_ms = \"3000\"",
            "/etc/gatecheck/gatecheck.conf:12: key \"dedup_window_ms\": expected an integer, got a string"
        ),
        ("[camera]\ndevise = \"/dev/x\"", "/etc/gatecheck/gatecheck.conf:2: key \"camera.devise\": unknown key in [camera] (known: crop, device, exposure_us, focus, focus_absolute, gain, poll_timeout_ms, power_line_frequency)"),
        ("loglevel = \"info\"", "/etc/gatecheck/gatecheck.conf:1: key \"loglevel\": unknown key before the first table (known: anchors_dir, dedup_window_ms, log_level, state_dir)"),
        ("[lamp.pass]\nbackend = \"led\"", "/etc/gatecheck/gatecheck.conf:1: table \"lamp.pass\": unknown table (known: camera, lamps, lamps.buzzer, lamps.fail, lamps.fault, lamps.pass, lamps.relay, policy, scan, status, timings, trust, update)"),
        ("[camera]\npoll_timeout_ms = 10", "/etc/gatecheck/gatecheck.conf:2: key \"camera.poll_timeout_ms\": 10 is out of range (100...60000)"),
        ("log_level = \"verbose\"", "/etc/gatecheck/gatecheck.conf:1: key \"log_level\": \"verbose\" is not one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\""),
        ("[trust]\nstale = \"ignore\"", "/etc/gatecheck/gatecheck.conf:2: key \"trust.stale\": \"ignore\" is not one of \"fail\", \"warn\""),
        ("[trust]\nmax_trust_age_days = 0", "/etc/gatecheck/gatecheck.conf:2: key \"trust.max_trust_age_days\": 0 is out of range (1...3650)"),
        ("state_dir = \"var/lib\"", "/etc/gatecheck/gatecheck.conf:1: key \"state_dir\": must be an absolute path, got \"var/lib\""),
        ("state_dir = \"\"", "/etc/gatecheck/gatecheck.conf:1: key \"state_dir\": must not be empty"),
        ("state_dir = \"/a\\nb\"", "/etc/gatecheck/gatecheck.conf:1: key \"state_dir\": must not contain control characters"),
        ("[timings]\npass_ms = 1.5", "/etc/gatecheck/gatecheck.conf:2: key \"timings.pass_ms\": expected an integer, got a float"),
        ("[lamps.relay]\nbackend = \"gpio\"\nchip = \"c\"\nactive_low = \"yes\"", "/etc/gatecheck/gatecheck.conf:1: key \"lamps.relay.offset\": backend \"gpio\" needs the line offset on the chip"),
        ("[lamps.relay]\nbackend = \"gpio\"\nchip = \"c\"\noffset = 1\nactive_low = \"yes\"", "/etc/gatecheck/gatecheck.conf:5: key \"lamps.relay.active_low\": expected a boolean, got a string"),
        ("[lamps.pass]\nname = \"x\"", "/etc/gatecheck/gatecheck.conf:1: key \"lamps.pass.backend\": every lamp table needs backend = \"led\", \"gpio\" or \"console\""),
        ("[lamps.pass]\nbackend = \"pwm\"", "/etc/gatecheck/gatecheck.conf:2: key \"lamps.pass.backend\": \"pwm\" is not one of \"led\", \"gpio\", \"console\""),
        ("[lamps.pass]\nbackend = \"led\"\nname = \"g\"\noffset = 3", "/etc/gatecheck/gatecheck.conf:4: key \"lamps.pass.offset\": not used by backend \"led\""),
        ("[lamps.pass]\nbackend = \"led\"", "/etc/gatecheck/gatecheck.conf:1: key \"lamps.pass.name\": backend \"led\" needs the LED class device's name"),
        ("[lamps.pass]\nbackend = \"led\"\nname = \"../x\"", "/etc/gatecheck/gatecheck.conf:3: key \"lamps.pass.name\": an LED name is one path component"),
        ("[lamps.fail]\nbackend = \"led\"\nname = \"gatecheck-green\"", "/etc/gatecheck/gatecheck.conf:3: key \"lamps.fail.name\": the same output is already used by lamps.pass"),
        ("[lamps.pass]\nbackend = \"gpio\"\nchip = \"c\"\noffset = 1\n[lamps.relay]\nbackend = \"gpio\"\nchip = \"c\"\noffset = 1\nactive_low = true", "/etc/gatecheck/gatecheck.conf:8: key \"lamps.relay.offset\": the same output is already used by lamps.pass"),
        ("[lamps.pass]\nbackend = \"gpio\"\nchip = \"c\"\noffset = 1024", "/etc/gatecheck/gatecheck.conf:4: key \"lamps.pass.offset\": 1024 is out of range (0...1023)"),
        ("[status]\nsocket = \"/\(String(repeating: "s", count: 107))\"", "/etc/gatecheck/gatecheck.conf:2: key \"status.socket\": path is longer than 107 bytes"),
        ("[lamps]\nsysfs_root = \"/tmp/fake\"", "/etc/gatecheck/gatecheck.conf:2: key \"lamps.sysfs_root\": must be a sysfs mount point whose last component is \"sys\""),
    ])
    func oneLineErrors(text: String, expected: String) {
        let message = configurationError(text)
        #expect(message == expected)
        #expect(message?.contains("\n") == false)
    }

    @Test func typosAreReportedBeforeValuesInFileOrder() {
        // The bad value is on line 1, but an unknown key anywhere is reported first: a typo usually explains the rest.
        #expect(configurationError("dedup_window_ms = -1\n[camera]\npoll = 1").map { $0.contains(":3: key \"camera.poll\"") } == true)
    }

    @Test func loadIsAllOrNothing() throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write("good.conf", "log_level = \"debug\"\n[timings]\npass_ms = 1000\n")
        let bad = try directory.write("bad.conf", "log_level = \"debug\"\n[timings]\npass_ms = 1000\nfail_ms = 0\n")
        var running = try DaemonConfiguration.load(path: good)
        #expect(running.logLevel == .debug)
        // A reload that fails leaves nothing half-applied: no value comes back at all.
        do {
            running = try DaemonConfiguration.load(path: bad)
            Issue.record("a bad file loaded")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.description == "\(bad):4: key \"timings.fail_ms\": 0 is out of range (100...60000)")
        }
        #expect(running.timings.pass == .milliseconds(1000))
    }

    @Test func unreadableFiles() throws {
        let directory = try TemporaryDirectory()
        do {
            _ = try DaemonConfiguration.load(path: directory.path + "/missing.conf")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.description == "\(directory.path)/missing.conf: cannot read: open(\(directory.path)/missing.conf): No such file or directory")
        }
        #expect(throws: DaemonSupportError.unreadableFile) { try DaemonConfiguration.load(path: directory.path) }
        let huge = try directory.write("huge.conf", String(repeating: "# padding\n", count: 120_000))
        #expect(throws: DaemonSupportError.unreadableFile) { try DaemonConfiguration.load(path: huge) }
    }
}
