import Testing

import DaemonSupport
@testable import GateVocabulary
import HealthCredentials
import Lamps
import TrustStore

/// The status snapshot's JSON (socket) and Prometheus (textfile) forms.
@Suite("Status snapshot")
struct StatusSnapshotTests {
    static func populated() -> StatusSnapshot {
        var status = StatusSnapshot()
        status.state = .fault
        status.faults = [.cameraLost, .trustStale, .rulesMissing]
        status.uptimeSeconds = 93_784
        status.camera = "/dev/gatecheck-camera"
        status.frames = 120_000
        status.framesDropped = 35
        status.scans = 119_965
        status.codesRead = 412
        status.duplicatesSuppressed = 280
        status.passes = 120
        status.fails = 16
        status.failsByReason = [.expired: 7, .revoked: 2, .badBase45: 3, .ruleFailed: 4]
        status.failsByRule = ["VR-DE-0001": 3, "VR-DE-0003": 1, "TR-DE-0004": 2]
        status.decodeErrors = 3
        status.passesByFormat = [.hc1: 100, .shc: 15, .vdsNC: 5]
        status.failsByFormat = [.hc1: 14, .unknown: 2]
        status.cameraFaults = 2
        status.cameraReconnects = 1
        status.trustSequence = 42
        status.trustAgeSeconds = 276_480
        status.trustExpiresInSeconds = -3_600
        status.trustReloads = 4
        status.lastLatencyMilliseconds = 12.5
        status.maxLatencyMilliseconds = 48.25
        status.trustFetchLastAttempt = 1_796_453_600
        status.trustFetchLastSuccess = 1_796_450_000
        status.trustFetchOutcome = "fetch-timeout"
        status.trustFetchFailures = 3
        return status
    }

    static func parse(_ text: String) throws(DaemonSupportError) -> StatusSnapshot {
        try StatusSnapshot(json: Array(text.utf8))
    }

    // MARK: JSON

    @Test func jsonRoundTrip() throws {
        let status = Self.populated()
        let line = status.json()
        #expect(!line.contains("\n"))
        #expect(try Self.parse(line) == status)
        // The socket sends a trailing newline; the reader takes it.
        #expect(try Self.parse(line + "\n") == status)
    }

    @Test func jsonKeysAreSortedFieldNames() throws {
        let line = Self.populated().json()
        #expect(line.hasPrefix("{\"camera\":\"/dev/gatecheck-camera\",\"cameraFaults\":2,\"cameraReconnects\":1,\"codesRead\":412,"))
        #expect(line.contains("\"failsByReason\":{\"bad-base45\":3,\"expired\":7,\"revoked\":2,\"rule-failed\":4}"))
        #expect(line.contains("\"failsByRule\":{\"TR-DE-0004\":2,\"VR-DE-0001\":3,\"VR-DE-0003\":1},\"faults\":"))
        #expect(line.contains("\"passesByFormat\":{\"hc1\":100,\"shc\":15,\"vds-nc\":5}"))
        #expect(line.contains("\"failsByFormat\":{\"hc1\":14,\"unknown\":2}"))
        #expect(line.contains("\"faults\":[\"camera-lost\",\"trust-stale\",\"rules-missing\"]"))
        #expect(line.contains("\"state\":\"fault\""))
        #expect(line.contains("\"lastLatencyMilliseconds\":12.5,"))
        #expect(line.hasSuffix("\"trustSequence\":42,\"uptimeSeconds\":93784}"))
    }

    @Test func defaultSnapshotHasNullsForOptionals() throws {
        let line = StatusSnapshot().json()
        #expect(
            line
                == "{\"camera\":\"\",\"cameraFaults\":0,\"cameraReconnects\":0,\"codesRead\":0,\"decodeErrors\":0,"
                + "\"duplicatesSuppressed\":0,\"fails\":0,\"failsByFormat\":{},\"failsByReason\":{},\"failsByRule\":{},\"faults\":[],\"frames\":0,"
                + "\"framesDropped\":0,\"lastLatencyMilliseconds\":null,\"maxLatencyMilliseconds\":null,\"passes\":0,\"passesByFormat\":{},\"scans\":0,"
                + "\"state\":\"starting\","
                + "\"trustAgeSeconds\":null,\"trustExpiresInSeconds\":null,"
                + "\"trustFetchFailures\":null,\"trustFetchLastAttempt\":null,\"trustFetchLastSuccess\":null,\"trustFetchOutcome\":null,"
                + "\"trustReloads\":0,\"trustSequence\":null,"
                + "\"uptimeSeconds\":0}")
        #expect(try Self.parse(line) == StatusSnapshot())
    }

    @Test func theFetchFieldsComeFromTheStateFileAndOnlyCodesPass() throws {
        var status = StatusSnapshot()
        let fetch = TrustFetchState().recording("not-modified", url: "https://trust.example/b", at: 1_796_453_600)
        status.includeFetch(fetch)
        #expect(status.trustFetchOutcome == "not-modified" && status.trustFetchFailures == 0 && status.trustFetchLastSuccess == 1_796_453_600)
        status.includeFetch(nil)
        #expect(status == StatusSnapshot())
        // A reply (another daemon, a hostile socket) carrying free text as the outcome: dropped, not shown.
        let parsed = try Self.parse(#"{"state":"ready","trustFetchOutcome":"Jane Doe","trustFetchFailures":2}"#)
        #expect(parsed.trustFetchOutcome == nil && parsed.trustFetchFailures == 2)
        #expect(throws: DaemonSupportError.self) { try Self.parse(#"{"state":"ready","trustFetchOutcome":7}"#) }
    }

    @Test func cameraTextIsEscaped() throws {
        var status = StatusSnapshot()
        status.camera = "/dev/odd \"cam\"\\\n\u{01}é"
        let line = status.json()
        #expect(!line.contains("\n"))
        #expect(line.contains(#""camera":"/dev/odd \"cam\"\\\n\u0001é""#))
        #expect(try Self.parse(line).camera == status.camera)
    }

    @Test func unknownKeysAreIgnored() throws {
        let parsed = try Self.parse(
            #"{"state":"ready","passes":5,"newCounter":17,"newObject":{"a":[1,2,{"b":null}]},"newFlag":true,"newText":"x\u00e9\ud83d\ude00"}"#)
        var expected = StatusSnapshot()
        expected.state = .ready
        expected.passes = 5
        #expect(parsed == expected)
    }

    @Test func unknownWordsMapToOtherOrAreDropped() throws {
        let parsed = try Self.parse(
            #"{"state":"fault","faults":["trust-stale","laser-misaligned","camera-lost","trust-stale"],"failsByReason":{"expired":2,"quantum-flux":3,"other":1,"new-code":4}}"#)
        #expect(parsed.faults == [.cameraLost, .trustStale])
        #expect(parsed.failsByReason == [.expired: 2, .other: 8])

        // A rule key that is not a rule identifier (a newer daemon's, or a forged reply) is never kept as given.
        let rules = try Self.parse(#"{"state":"ready","failsByRule":{"VR-DE-0001":2,"Erika Mustermann":3,"other":1,"VR-DE-1":4}}"#)
        #expect(rules.failsByRule == ["VR-DE-0001": 2, StatusSnapshot.otherRulesKey: 8])
    }

    /// However many rules fail, the counters hold at most `maximumRuleKeys` identifiers; the rest count as "other".
    @Test func ruleCountersAreCapped() throws {
        let cap = StatusSnapshot.maximumRuleKeys
        let identifiers = (1...(cap + 44)).map { "VR-XX-" + String(10_000 + $0).dropFirst() }
        #expect(Set(identifiers).count == cap + 44)
        var status = StatusSnapshot()
        for identifier in identifiers { status.countRuleFails(identifier) }
        // Rules already counted keep counting after the cap is reached.
        status.countRuleFails(identifiers[0], 2)
        #expect(status.failsByRule.count == cap + 1)
        #expect(status.failsByRule[StatusSnapshot.otherRulesKey] == 44)
        #expect(status.failsByRule[identifiers[0]] == 3)
        #expect(status.failsByRule[identifiers[cap - 1]] == 1)
        #expect(status.failsByRule[identifiers[cap]] == nil)
        #expect(status.failsByRule.values.reduce(0, +) == UInt64(identifiers.count + 2))
        #expect(try Self.parse(status.json()) == status)

        // A reply with more keys than the cap is read within it.
        let many = identifiers.map { "\"\($0)\":1" }.joined(separator: ",")
        let parsed = try Self.parse(#"{"state":"ready","failsByRule":{"# + many + "}}")
        #expect(parsed.failsByRule.count == cap + 1)
        #expect(parsed.failsByRule.values.reduce(0, +) == UInt64(identifiers.count))
        #expect(parsed.failsByRule[StatusSnapshot.otherRulesKey] == 44)

        // Counts saturate rather than wrap.
        status.countRuleFails(identifiers[0], .max)
        #expect(status.failsByRule[identifiers[0]] == .max)
    }

    @Test(arguments: [
        #"{"state":"ready","frames":"12"}"#,
        #"{"state":"ready","frames":1.5}"#,
        #"{"state":"ready","frames":1e3}"#,
        #"{"state":"ready","frames":-1}"#,
        #"{"state":"ready","frames":true}"#,
        #"{"state":"ready","frames":null}"#,
        #"{"state":"ready","frames":18446744073709551616}"#,
        #"{"state":"ready","uptimeSeconds":[1]}"#,
        #"{"state":"ready","camera":5}"#,
        #"{"state":"ready","camera":null}"#,
        #"{"state":"ready","faults":"camera-lost"}"#,
        #"{"state":"ready","faults":[1]}"#,
        #"{"state":"ready","failsByReason":[]}"#,
        #"{"state":"ready","failsByReason":{"expired":"2"}}"#,
        #"{"state":"ready","failsByRule":[]}"#,
        #"{"state":"ready","failsByRule":{"VR-DE-0001":"2"}}"#,
        #"{"state":"ready","failsByRule":{"VR-DE-0001":-1}}"#,
        #"{"state":"ready","trustSequence":"42"}"#,
        #"{"state":"ready","lastLatencyMilliseconds":"12"}"#,
        #"{"state":1}"#,
    ])
    func wrongTypesAreRefused(json: String) {
        #expect(throws: DaemonSupportError(.badStatus, "")) { try Self.parse(json) }
    }

    @Test(arguments: [
        "", "null", "[]", #""ready""#, "{}", #"{"passes":3}"#, #"{"state":"sleeping"}"#,
        #"{"state":"ready""#, #"{"state":"ready",}"#, #"{"state":"ready"} {}"#, #"{'state':'ready'}"#,
        #"{"state":"ready","state":"fault"}"#, #"{"state":"ready","frames":01}"#, #"{"state":"re\qdy"}"#,
        #"{"state":"ready","x":"\ud800"}"#, "{\"state\":\"ready\",\"x\":\"a\u{01}b\"}",
        "{\"state\":\"ready\",\"x\":" + String(repeating: "[", count: 50) + String(repeating: "]", count: 50) + "}",
    ])
    func notAStatusIsRefused(json: String) {
        #expect(throws: DaemonSupportError(.badStatus, "")) { try Self.parse(json) }
    }

    @Test func errorsSayWhatIsWrong() {
        do {
            _ = try Self.parse(#"{"state":"ready","frames":"12"}"#)
            Issue.record("accepted a string counter")
        } catch {
            #expect(error.description == #"status reply: "frames" is not a non-negative integer"#)
        }
    }

    @Test func extremesSurvive() throws {
        var status = StatusSnapshot()
        status.frames = .max
        status.uptimeSeconds = .max
        status.trustExpiresInSeconds = .min
        status.lastLatencyMilliseconds = 0.000_123
        status.maxLatencyMilliseconds = 1e300
        #expect(try Self.parse(status.json()) == status)
        // JSON has no infinity: a non-finite latency is written as null rather than breaking the line.
        status.lastLatencyMilliseconds = .infinity
        #expect(try Self.parse(status.json()).lastLatencyMilliseconds == nil)
    }

    // MARK: Prometheus

    /// The metric name of a `name{label="value",...} value` line (label values with the format's escapes
    /// only), or nil when the line is not one.
    static func sampleName(_ line: String) -> String? {
        let sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|[+-]Inf)$/
        return (try? sample.wholeMatch(in: line)).map { String($0.output.1) }
    }

    /// Every sample, keyed `name{labels}`.
    static func samples(_ text: String) -> [String: String] {
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let space = line.lastIndex(of: " ")!
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    @Test func prometheusLinesFollowTheGrammar() throws {
        for status in [Self.populated(), StatusSnapshot()] {
            let text = status.prometheusText()
            #expect(text.hasSuffix("\n"))
            #expect(!text.hasSuffix("\n\n"))
            var helps: [String: Int] = [:]
            var types: [String: String] = [:]
            var typeCounts: [String: Int] = [:]
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                if line.hasPrefix("# HELP ") {
                    let name = String(line.dropFirst("# HELP ".count).prefix { $0 != " " })
                    helps[name, default: 0] += 1
                } else if line.hasPrefix("# TYPE ") {
                    let words = line.split(separator: " ")
                    #expect(words.count == 4, "\(line)")
                    let name = String(words[2])
                    types[name] = String(words[3])
                    typeCounts[name, default: 0] += 1
                    #expect(["counter", "gauge"].contains(words[3]), "\(line)")
                } else {
                    let name = try #require(Self.sampleName(String(line)), "not a sample line: \(line)")
                    #expect(name.hasPrefix("gatecheck_"), "\(line)")
                    #expect(types[name] != nil, "sample before its TYPE: \(line)")
                }
            }
            #expect(!types.isEmpty)
            for (name, kind) in types {
                #expect(helps[name] == 1, "\(name) has \(helps[name] ?? 0) HELP lines")
                #expect(typeCounts[name] == 1, "\(name) has \(typeCounts[name] ?? 0) TYPE lines")
                #expect((kind == "counter") == name.hasSuffix("_total"), "\(name) is a \(kind)")
            }
            #expect(Set(helps.keys) == Set(types.keys))
        }
    }

    @Test func prometheusValuesAreTheSnapshots() throws {
        let status = Self.populated()
        let samples = Self.samples(status.prometheusText())
        #expect(samples["gatecheck_scans_total"] == "119965")
        #expect(samples["gatecheck_frames_total"] == "120000")
        #expect(samples["gatecheck_frames_dropped_total"] == "35")
        #expect(samples["gatecheck_codes_read_total"] == "412")
        #expect(samples["gatecheck_duplicates_suppressed_total"] == "280")
        #expect(samples[#"gatecheck_verdicts_total{verdict="pass"}"#] == "120")
        #expect(samples[#"gatecheck_verdicts_total{verdict="fail"}"#] == "16")
        #expect(samples[#"gatecheck_fails_total{reason="expired"}"#] == "7")
        #expect(samples[#"gatecheck_fails_total{reason="revoked"}"#] == "2")
        #expect(samples[#"gatecheck_fails_total{reason="bad-base45"}"#] == "3")
        #expect(samples[#"gatecheck_fails_total{reason="rule-failed"}"#] == "4")
        #expect(samples.keys.filter { $0.hasPrefix("gatecheck_fails_total") }.count == status.failsByReason.count)
        for (rule, count) in status.failsByRule {
            #expect(samples["gatecheck_rule_fails_total{rule=\"\(rule)\"}"] == String(count))
        }
        #expect(samples.keys.filter { $0.hasPrefix("gatecheck_rule_fails_total") }.count == status.failsByRule.count)
        #expect(samples["gatecheck_decode_errors_total"] == "3")
        for (verdict, counts) in [("pass", status.passesByFormat), ("fail", status.failsByFormat)] {
            for (format, count) in counts {
                #expect(samples["gatecheck_format_verdicts_total{format=\"\(format.rawValue)\",verdict=\"\(verdict)\"}"] == String(count))
            }
        }
        #expect(samples.keys.filter { $0.hasPrefix("gatecheck_format_verdicts_total") }.count == status.passesByFormat.count + status.failsByFormat.count)
        #expect(samples["gatecheck_camera_faults_total"] == "2")
        #expect(samples["gatecheck_camera_reconnects_total"] == "1")
        #expect(samples["gatecheck_trust_reloads_total"] == "4")
        #expect(samples["gatecheck_uptime_seconds"] == "93784")
        #expect(samples["gatecheck_trust_sequence"] == "42")
        #expect(samples["gatecheck_trust_age_seconds"] == "276480")
        #expect(samples["gatecheck_trust_expires_in_seconds"] == "-3600")
        #expect(samples["gatecheck_trust_fetch_last_attempt_timestamp_seconds"] == "1796453600")
        #expect(samples["gatecheck_trust_fetch_last_success_timestamp_seconds"] == "1796450000")
        #expect(samples["gatecheck_trust_fetch_failures"] == "3")
        #expect(samples[#"gatecheck_trust_fetch_outcome{outcome="fetch-timeout"}"#] == "1")
        #expect(samples.keys.filter { $0.hasPrefix("gatecheck_trust_fetch_outcome") }.count == 1)
        #expect(samples["gatecheck_latency_last_seconds"].flatMap(Double.init) == 0.0125)
        #expect(samples["gatecheck_latency_max_seconds"].flatMap(Double.init) == 0.04825)
        #expect(samples[#"gatecheck_camera_info{camera="/dev/gatecheck-camera"}"#] == "1")
        for state in StatusSnapshot.State.allCases {
            #expect(samples["gatecheck_state{state=\"\(state.rawValue)\"}"] == (state == .fault ? "1" : "0"))
        }
        for fault in StatusSnapshot.Fault.allCases {
            #expect(samples["gatecheck_fault{fault=\"\(fault.rawValue)\"}"] == (status.faults.contains(fault) ? "1" : "0"))
        }
    }

    @Test func prometheusOmitsWhatIsUnknown() {
        let text = StatusSnapshot().prometheusText()
        for family in ["gatecheck_trust_sequence", "gatecheck_trust_age_seconds", "gatecheck_trust_expires_in_seconds", "gatecheck_latency_", "gatecheck_trust_fetch_"] {
            #expect(!text.contains(family), "\(family)")
        }
        // A family with no reasons yet still says what it is, and has no samples.
        #expect(text.contains("# TYPE gatecheck_fails_total counter\n"))
        #expect(!text.contains("gatecheck_fails_total{"))
        #expect(text.contains("# TYPE gatecheck_rule_fails_total counter\n"))
        #expect(!text.contains("gatecheck_rule_fails_total{"))
        let samples = Self.samples(text)
        #expect(samples[#"gatecheck_state{state="starting"}"#] == "1")
        #expect(samples[#"gatecheck_verdicts_total{verdict="pass"}"#] == "0")
    }

    @Test func labelValuesAreEscaped() {
        #expect(PrometheusText.escapedLabelValue(#"a"b\c"# + "\nd") == #"a\"b\\c\nd"#)
        #expect(PrometheusText.escapedLabelValue("/dev/video0") == "/dev/video0")
        #expect(PrometheusText.escapedHelp("a \"quoted\" \\ and\nmore") == #"a "quoted" \\ and\nmore"#)
        #expect(PrometheusText.value(.nan) == "NaN")
        #expect(PrometheusText.value(-.infinity) == "-Inf")
        #expect(PrometheusText.value(.infinity) == "+Inf")

        var status = StatusSnapshot()
        status.camera = "/dev/\"odd\"\\cam\n"
        let line = status.prometheusText().split(separator: "\n").first { $0.hasPrefix("gatecheck_camera_info{") }
        #expect(line == #"gatecheck_camera_info{camera="/dev/\"odd\"\\cam\n"} 1"#)
    }
}
