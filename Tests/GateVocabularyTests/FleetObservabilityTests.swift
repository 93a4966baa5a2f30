import Foundation
import Testing

import GateCheckTestSupport
@testable import GateVocabulary
import HealthCredentials
import JSON

/// The Prometheus textfile read by real parsers (promtool, Python's prometheus_client), and the example alert
/// rules and Grafana dashboard of docs/examples checked against it (docs/fleet.md, "Watching a fleet").
@Suite("Fleet observability")
struct FleetObservabilityTests {
    static let promtool = "/usr/bin/promtool"
    /// Debian's interpreter: python3-prometheus-client installs for it, not for any other python3 on the PATH.
    static let python = "/usr/bin/python3"
    static let hasPromtool = FileManager.default.isExecutableFile(atPath: promtool)
    static let hasPythonParser = (try? runProcess(python, ["-c", "import prometheus_client.parser"]).status) == 0

    static let examples = repositoryRoot + "/docs/examples"
    static let alertRules = examples + "/prometheus/gatecheck-alerts.yml"
    static let alertTests = examples + "/prometheus/gatecheck-alerts.test.yml"
    static let dashboard = examples + "/grafana/gatecheck-fleet.json"

    /// node_exporter's own, about the textfile.
    static let nodeExporterMetrics: Set<String> = ["node_textfile_mtime_seconds", "node_textfile_scrape_error"]

    /// Every shape the exposition takes.
    enum Shape: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case fresh, everyFault, populated, everyCounter, oddCamera

        var testDescription: String { rawValue }

        var snapshot: StatusSnapshot {
            switch self {
            case .fresh:
                return StatusSnapshot()
            case .everyFault:
                var status = StatusSnapshot()
                status.state = .fault
                status.faults = StatusSnapshot.Fault.allCases
                status.camera = "/dev/gatecheck-camera"
                return status
            case .populated:
                return StatusSnapshotTests.populated()
            case .everyCounter:
                // The largest file there can be: every reason, format and rule key (the longest identifiers, past
                // the cap), every count at its maximum.
                var status = StatusSnapshotTests.populated()
                status.frames = .max
                status.scans = .max
                status.passes = .max
                status.fails = .max
                status.uptimeSeconds = .max
                status.failsByReason = Dictionary(uniqueKeysWithValues: CredentialError.Code.all.map { ($0, .max) })
                status.failsByReason[.other] = .max
                status.failsByReason[nil] = .max
                status.passesByFormat = Dictionary(uniqueKeysWithValues: CredentialFormat.allCases.map { ($0, .max) })
                status.failsByFormat = status.passesByFormat
                status.failsByRule = [:]
                for number in 1...(StatusSnapshot.maximumRuleKeys + 10) {
                    status.countRuleFails("VR-XX-" + String(String(100_000_000 + number).dropFirst()), .max)
                }
                status.trustExpiresInSeconds = .min
                status.trustAgeSeconds = .max
                status.lastLatencyMilliseconds = .nan
                status.maxLatencyMilliseconds = .infinity
                return status
            case .oddCamera:
                var status = StatusSnapshotTests.populated()
                status.camera = "/dev/v4l/by-id/usb-\"Odd\" Cam\\\n\tx\r\u{01}\u{00}é😀"
                status.lastLatencyMilliseconds = 0.000_123
                status.maxLatencyMilliseconds = 1e300
                return status
            }
        }
    }

    /// Writes `text` to a temporary file and runs `executable` with it on standard input.
    static func runWithStandardInput(_ executable: String, _ arguments: [String], _ text: String) throws -> ProcessResult {
        try withTemporaryDirectory("exposition") { directory in
            let input = directory + "/input"
            try Data(text.utf8).write(to: URL(fileURLWithPath: input))
            return try runProcess(executable, arguments, standardInput: URL(fileURLWithPath: input))
        }
    }

    // MARK: Real parsers

    @Test(.enabled(if: hasPromtool, "needs promtool (Debian package prometheus)"), arguments: Shape.allCases)
    func promtoolAcceptsTheExposition(shape: Shape) throws {
        let result = try Self.runWithStandardInput(Self.promtool, ["check", "metrics"], shape.snapshot.prometheusText())
        // Exit 0 with nothing said: parsed, and no lint complaint either.
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.isEmpty && result.standardError.isEmpty, "\(result.standardOutput)\(result.standardError)")
    }

    /// node_exporter reads the whole file at every scrape: it stays small whatever the daemon counts.
    @Test func expositionSizeIsBounded() {
        let largest = Shape.everyCounter.snapshot.prometheusText()
        let series = largest.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        print("Prometheus textfile at its largest: \(largest.utf8.count) bytes, \(series) series")
        #expect(largest.utf8.count <= 32 * 1024)
        #expect(series > StatusSnapshot.maximumRuleKeys + CredentialError.Code.all.count)
    }

    /// One sample as the Python parser read it (the value passes through Python's `repr`).
    struct ParsedSample: Hashable {
        let name: String
        let labels: [String: String]
        let value: Double

        var key: String { name + labels.sorted { $0.key < $1.key }.map { ",\($0.key)=\($0.value)" }.joined() }
    }

    static let pythonParse = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        text = sys.stdin.buffer.read().decode("utf-8")
        samples = [[s.name, s.labels, repr(s.value)] for f in text_string_to_metric_families(text) for s in f.samples]
        print(json.dumps(samples))
        """

    static func pythonSamples(_ text: String) throws -> [ParsedSample] {
        let result = try runWithStandardInput(python, ["-c", pythonParse], text)
        #expect(result.status == 0, "\(result.standardError)")
        let parsed = try #require(try JSONParser.parse(result.standardOutput).array)
        return try parsed.map { sample in
            let fields = try #require(sample.array)
            var labels: [String: String] = [:]
            for (name, value) in try #require(fields[1].object) {
                let text: String = try #require(value.string)
                labels[name] = text
            }
            return ParsedSample(
                name: try #require(fields[0].string), labels: labels,
                value: try #require(fields[2].string.flatMap(Double.init)))
        }
    }

    /// The Python parser sees every line as one distinct sample, with the snapshot's own values and labels.
    @Test(.enabled(if: hasPythonParser, "needs Python's prometheus_client (Debian package python3-prometheus-client)"), arguments: Shape.allCases)
    func pythonParserReadsTheSnapshotBack(shape: Shape) throws {
        let status = shape.snapshot
        let text = status.prometheusText()
        let samples = try Self.pythonSamples(text)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples.count == lines.count)
        #expect(Set(samples.map(\.key)).count == samples.count, "two lines parsed as the same sample")

        func values(_ name: String) -> [ParsedSample] { samples.filter { $0.name == name } }
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(values("gatecheck_camera_info").map(\.labels) == [["camera": status.camera]])
        #expect(value("gatecheck_state", ["state": status.state.rawValue]) == 1)
        #expect(values("gatecheck_state").map(\.value).reduce(0, +) == 1)
        #expect(Set(values("gatecheck_fault").filter { $0.value == 1 }.compactMap { $0.labels["fault"] }) == Set(status.faults.map(\.rawValue)))
        #expect(value("gatecheck_frames_total") == Double(status.frames))
        #expect(value("gatecheck_uptime_seconds") == Double(status.uptimeSeconds))
        #expect(value("gatecheck_verdicts_total", ["verdict": "pass"]) == Double(status.passes))
        #expect(value("gatecheck_verdicts_total", ["verdict": "fail"]) == Double(status.fails))
        for (reason, count) in status.failsByReason {
            #expect(value("gatecheck_fails_total", ["reason": VerdictLine.word(reason)]) == Double(count))
        }
        #expect(values("gatecheck_fails_total").count == status.failsByReason.count)
        #expect(Set(values("gatecheck_rule_fails_total").compactMap { $0.labels["rule"] }) == Set(status.failsByRule.keys))
        #expect(values("gatecheck_format_verdicts_total").count == status.passesByFormat.count + status.failsByFormat.count)
        #expect(value("gatecheck_trust_sequence") == status.trustSequence.map { Double($0) })
        #expect(value("gatecheck_trust_expires_in_seconds") == status.trustExpiresInSeconds.map { Double($0) })
        #expect(value("gatecheck_trust_age_seconds") == status.trustAgeSeconds.map { Double($0) })
        let latencies = [("gatecheck_latency_last_seconds", status.lastLatencyMilliseconds), ("gatecheck_latency_max_seconds", status.maxLatencyMilliseconds)]
        for (name, milliseconds) in latencies {
            let seconds = value(name)
            #expect((seconds == nil) == (milliseconds == nil), "\(name)")
            if let seconds, let milliseconds {
                #expect(seconds.isNaN ? milliseconds.isNaN : seconds == milliseconds / 1000, "\(name)")
            }
        }
    }

    // MARK: Alert rules and dashboard

    @Test(.enabled(if: hasPromtool, "needs promtool (Debian package prometheus)"))
    func alertRulesAreValidAndTheirTestsPass() throws {
        let check = try runProcess(Self.promtool, ["check", "rules", Self.alertRules])
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        #expect(!check.standardOutput.contains("WARNING"), "\(check.standardOutput)")
        let test = try runProcess(Self.promtool, ["test", "rules", Self.alertTests])
        #expect(test.status == 0, "\(test.standardOutput)\(test.standardError)")
        #expect(test.standardOutput.contains("SUCCESS"), "\(test.standardOutput)")
    }

    /// Every alert has a test case where it fires and one where it stays quiet.
    @Test func everyAlertIsTestedFiringAndQuiet() throws {
        let rules = try String(contentsOfFile: Self.alertRules, encoding: .utf8)
        let tests = try String(contentsOfFile: Self.alertTests, encoding: .utf8)
        let alerts = Set(rules.matches(of: /- alert: (\w+)/).map { String($0.output.1) })
        #expect(alerts.count >= 10)
        var firing: Set<String> = []
        var quiet: Set<String> = []
        // A case expecting alerts lists exp_alerts right after its alertname; one expecting none does not.
        for match in tests.matches(of: /alertname: (\w+)\n\s*(exp_alerts:)?/) {
            if match.output.2 == nil { quiet.insert(String(match.output.1)) } else { firing.insert(String(match.output.1)) }
        }
        #expect(firing == alerts)
        #expect(quiet == alerts)
    }

    /// The expressions of the alerts, their tests and the dashboard, with JSON's escaped quotes undone.
    static func referencingTexts() throws -> [(file: String, text: String)] {
        try [alertRules, alertTests, dashboard].map { file in
            (file, try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: #"\""#, with: "\""))
        }
    }

    /// A metric renamed in the daemon would leave an alert that silently never fires: every name they use exists.
    @Test func alertsAndDashboardNameOnlyMetricsTheDaemonWrites() throws {
        var written: Set<String> = []
        for shape in Shape.allCases {
            for line in shape.snapshot.prometheusText().split(separator: "\n") where !line.hasPrefix("#") {
                written.insert(String(line.prefix { $0 != "{" && $0 != " " }))
            }
        }
        let known = written.union(Self.nodeExporterMetrics)
        for (file, text) in try Self.referencingTexts() {
            let names = Set(text.matches(of: /\b(?:gatecheck|node_textfile)_[a-z0-9_]+/).map { String($0.output) })
            #expect(!names.isEmpty, "\(file)")
            for name in names.sorted() {
                #expect(known.contains(name), "\(file) names \(name), which the daemon does not write")
            }
        }
    }

    /// Label values in selectors (`fault="camera-lost"`, `state=~"ready|fault"`) are values the daemon writes.
    @Test func selectorsUseLabelValuesTheDaemonWrites() throws {
        let known: [String: Set<String>] = [
            "fault": Set(StatusSnapshot.Fault.allCases.map(\.rawValue)),
            "state": Set(StatusSnapshot.State.allCases.map(\.rawValue)),
            "verdict": ["pass", "fail"],
            "format": Set(CredentialFormat.allCases.map(\.rawValue)),
            "reason": Set(CredentialError.Code.all.map(\.description) + ["other", "none"]),
        ]
        var checked = 0
        for (file, text) in try Self.referencingTexts() {
            for match in text.matches(of: /\b(fault|state|verdict|format|reason)\s*(?:=~|!~|!=|=)\s*"([^"]*)"/) {
                for value in match.output.2.split(separator: "|") {
                    checked += 1
                    #expect(known[String(match.output.1)]!.contains(String(value)), "\(file): \(match.output.0)")
                }
            }
        }
        #expect(checked > 10)
    }

    static func parsedDashboard() throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dashboard))))
    }

    @Test func dashboardIsGrafanaJSONWithADatasourceVariable() throws {
        let dashboard = try Self.parsedDashboard()
        #expect(dashboard["schemaVersion"]?.int64.map { $0 >= 36 } == true)
        #expect(dashboard["uid"]?.string?.isEmpty == false)
        let variables = try #require(dashboard["templating"]?["list"]?.array)
        let variable = try #require(variables.first { $0["type"]?.string == "datasource" })
        let datasource = try #require(variable["name"]?.string)
        #expect(variable["query"]?.string == "prometheus")

        let panels = try #require(dashboard["panels"]?.array)
        #expect(panels.count >= 6)
        #expect(Set(panels.compactMap { $0["id"]?.int64 }).count == panels.count, "panel ids are unique")
        var queries = 0
        for panel in panels where panel["type"]?.string != "row" {
            let title = panel["title"]?.string ?? "?"
            #expect(panel["datasource"]?["uid"]?.string == "${\(datasource)}", "\(title) uses the datasource variable")
            let targets = try #require(panel["targets"]?.array, "\(title)")
            #expect(!targets.isEmpty, "\(title)")
            for target in targets {
                #expect(target["expr"]?.string?.isEmpty == false, "\(title)")
                #expect(target["datasource"]?["uid"]?.string == "${\(datasource)}", "\(title)")
                queries += 1
            }
        }
        #expect(queries >= panels.count)
    }

    /// The dashboard's queries are PromQL: promtool parses them as recording rules, Grafana's variables filled in.
    @Test(.enabled(if: hasPromtool, "needs promtool (Debian package prometheus)"))
    func dashboardQueriesParse() throws {
        let panels = try #require(try Self.parsedDashboard()["panels"]?.array)
        let expressions = panels.flatMap { $0["targets"]?.array ?? [] }.compactMap { $0["expr"]?.string }
        #expect(expressions.count >= panels.count)
        let filled = expressions.map {
            $0.replacingOccurrences(of: "$instance", with: ".*").replacingOccurrences(of: "$__rate_interval", with: "1m")
                .replacingOccurrences(of: "$__range", with: "1h")
        }
        #expect(filled.allSatisfy { !$0.contains("$") }, "a Grafana variable the test does not fill in")
        let rules = filled.enumerated().map { JSONValue.object([("record", .string("dashboard_query_\($0.offset)")), ("expr", .string($0.element))]) }
        let file: JSONValue = ["groups": [["name": "dashboard", "rules": .array(rules)]]]
        let result = try withTemporaryDirectory("dashboard") { directory in
            // JSON is YAML, which promtool reads.
            let path = directory + "/dashboard-rules.json"
            try Data(JSONWriter.string(file).utf8).write(to: URL(fileURLWithPath: path))
            return try runProcess(Self.promtool, ["check", "rules", path])
        }
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
    }
}
