import AdmissionRules
import CBOR
import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import HealthCredentials
import HealthCredentialsTesting
import JSON
import SystemCalls
import Testing
import TrustStore

/// The daemon admitting under a country's rules (`[policy] country`): the installed bundle's rules and value
/// sets decide, frames go through zbar and the verifier one at a time, the clock is the test's. What a verdict
/// line, the counters and the fault lamp show for rules that fail, are missing or have lapsed.
@Suite("Gate with admission rules", .serialized)
struct GateRulesTests {
    /// When the gate decides: inside the default test credentials' validity and the EU test rules'.
    static let clock = TestCredential.validAt

    /// The real German rules and the EU value sets: a complete vaccination is admitted, the first of two doses is
    /// not (`VR-DE-0001`), and a recovery past its `du` is refused by its own validity before any rule.
    @Test(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
    func germanRulesDecideThroughTheDaemon() async throws {
        let rules = try RuleSet(rules: RuleFiles.rules(at: TestCorpus.path("business-rules/DE")))
        let valueSets = try RuleFiles.valueSets(at: TestCorpus.path("business-rules/valuesets/valueSets.json"))
        let gate = try RulesGate(country: "DE", rules: rules, valueSets: valueSets)
        let complete = Self.vaccination(dose: 2, of: 2)
        let partial = Self.vaccination(dose: 1, of: 2)
        let pastRecovery = TestCredential(payload: TestCredential.payload(
            type: .recovery, entry: TestCredential.defaultEntry(.recovery).map { $0.0 == "du" ? ("du", .text("2022-07-31")) : $0 }))
        let forged = try gate.issuer.hc1(partial, corruptSignature: true)
        try await gate.start(showing: [complete, partial, pastRecovery].map { try gate.issuer.hc1($0) } + [forged])

        #expect(await eventuallyAsync(within: 120) { gate.status() != nil })
        #expect(gate.status()?.faults == [], "DE rules valid at the clock: no fault")
        let admitted = try await gate.decideNext()
        #expect(admitted.line.verdict == .pass, "\(admitted.line)")
        #expect(admitted.line.failedRules.isEmpty)

        let refused = try await gate.decideNext()
        #expect(refused.line.verdict == .fail)
        #expect(refused.line.reason == .ruleFailed)
        // Exactly the rules a direct verification under the same policy names, in its order.
        let verifier = HC1Verifier(
            trustList: gate.issuer.trustList, admission: AdmissionPolicy(rules: rules, valueSets: valueSets, arrivalCountry: "DE"))
        let direct = verifier.verify(payload: try gate.issuer.hc1(partial), in: VerificationContext(now: Self.clock))
        #expect(refused.line.failedRules.map(\.identifier) == direct.failedRules)
        #expect(refused.line.failedRules.map(\.identifier).contains("VR-DE-0001"))

        let expired = try await gate.decideNext()
        #expect(expired.line.verdict == .fail)
        #expect(expired.line.reason == .recoveryExpired)
        // Its rules ran too (a verification report lists them), but its own validity refused it: the line names no rule.
        #expect(expired.line.failedRules.isEmpty)

        // A forged copy fails its signature first: its rules fail too, but the line names only why it was refused.
        let refusedForgery = try await gate.decideNext()
        #expect(!verifier.verify(payload: forged, in: VerificationContext(now: Self.clock)).failedRules.isEmpty)
        #expect(refusedForgery.line.verdict == .fail)
        #expect(![.ruleFailed, .ruleError, .none].contains(refusedForgery.line.reason), "\(refusedForgery.line)")
        #expect(refusedForgery.line.failedRules.isEmpty)

        let lines = gate.logs.items.filter { $0.contains("verdict=") }
        try #require(lines.count == 4)
        let ruleField = try #require(lines[1].split(separator: " ").first { $0.hasPrefix("rules=") }, "\(lines[1])")
        #expect(ruleField.dropFirst("rules=".count).split(separator: ",").map(String.init) == direct.failedRules)
        #expect(lines.enumerated().filter { $0.element.contains("rules=") }.map(\.offset) == [1])

        let status = try #require(gate.status())
        #expect(status.passes == 1)
        #expect(status.failsByReason == [.ruleFailed: 1, .recoveryExpired: 1, refusedForgery.line.reason: 1])
        #expect(status.failsByRule == Dictionary(uniqueKeysWithValues: direct.failedRules.map { ($0, UInt64(1)) }))
        #expect(status.faults.isEmpty)
        try await gate.stop()
        gate.expectNoPersonalData(of: [complete, partial, pastRecovery])
    }

    /// A country configured but no rules of it installed: amber, and nothing passes until rules arrive.
    @Test func withoutRulesOfTheCountryTheGateFaultsAndAdmitsNoOne() async throws {
        let gate = try RulesGate(country: "XX", rules: nil, valueSets: nil)
        let credential = Self.vaccination(dose: 2, of: 2)
        try await gate.start(showing: [gate.issuer.hc1(credential), gate.issuer.hc1(credential)])

        #expect(await eventuallyAsync(within: 120) { gate.status()?.faults == [.rulesMissing] }, "rules-missing reported")
        #expect(await eventuallyAsync { gate.recorder.events.filter { $0.description == "fault on" }.count >= 2 }, "amber blinks")
        #expect(gate.status()?.state == .fault)
        #expect(gate.logs.items.contains { $0.contains("rules: rules-missing") })
        let refused = try await gate.decideNext()
        #expect(refused.line.verdict == .fail, "an authentic credential must not pass without rules to admit it")
        #expect(refused.line.reason == .rulesMissing)
        #expect(!gate.recorder.events.contains { $0.description == "relay on" })

        // A bundle with a rule of the country clears the fault, and the same credential is admitted.
        let rule = try Self.targetsCovidRule(validFrom: Self.clock.addingTimeInterval(-60 * 86_400), validTo: Self.clock.addingTimeInterval(60 * 86_400))
        try gate.install(sequence: 2, rules: RuleSet(rules: [rule]), valueSets: .empty)
        #expect(await eventuallyAsync { gate.status()?.faults == [] }, "the fault clears once rules are installed")
        let admitted = try await gate.decideNext()
        #expect(admitted.line.verdict == .pass, "\(admitted.line)")
        try await gate.stop()
    }

    /// The country's rules for a type all past their `ValidTo`: amber, and that type fails `rules-stale`.
    @Test func lapsedRulesFaultAsStaleAndAdmitNoOne() async throws {
        let rule = try Self.targetsCovidRule(validFrom: Self.clock.addingTimeInterval(-60 * 86_400), validTo: Self.clock.addingTimeInterval(-86_400))
        #expect(!rule.isValid(at: Self.clock))
        let gate = try RulesGate(country: "XX", rules: RuleSet(rules: [rule]), valueSets: .empty)
        try await gate.start(showing: [gate.issuer.hc1(Self.vaccination(dose: 2, of: 2))])

        #expect(await eventuallyAsync(within: 120) { gate.status()?.faults == [.rulesStale] }, "rules-stale reported")
        #expect(await eventuallyAsync { gate.recorder.events.filter { $0.description == "fault on" }.count >= 2 }, "amber blinks")
        #expect(gate.logs.items.contains { $0.contains("rules: rules-stale") })
        let refused = try await gate.decideNext()
        #expect(refused.line.verdict == .fail)
        #expect(refused.line.reason == .rulesStale)
        #expect(!gate.recorder.events.contains { $0.description == "relay on" })
        try await gate.stop()
    }

    // MARK: Helpers

    static func vaccination(dose: Int, of total: Int) -> TestCredential {
        TestCredential(payload: TestCredential.payload(
            type: .vaccination,
            entry: TestCredential.defaultEntry(.vaccination).map {
                $0.0 == "dn" ? ("dn", .integer(Int64(dose))) : $0.0 == "sd" ? ("sd", .integer(Int64(total))) : $0
            }))
    }

    /// An acceptance rule of `XX` for vaccinations: the vaccine targets COVID-19.
    static func targetsCovidRule(validFrom: Date, validTo: Date) throws -> ValidationRule {
        let timestamp = ISO8601DateFormatter()
        return try ValidationRule(json: [
            "Identifier": "VR-XX-0002", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0",
            "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
            "Description": [["lang": "en", "desc": "The vaccine must target COVID-19 (SNOMED CT 840539006)."]],
            "ValidFrom": .string(timestamp.string(from: validFrom)), "ValidTo": .string(timestamp.string(from: validTo)),
            "AffectedFields": ["v.0.tg"],
            "Logic": ["===": [["var": "payload.v.0.tg"], "840539006"]],
        ])
    }
}

/// One daemon in this process with `[policy] country`, on the fault tests' harness with its bundle made for the
/// test (sequence 1) installed at the test clock, and the frames of `start` released one per `decideNext`.
final class RulesGate {
    let harness: GateFaultTests.Harness
    let configuration: DaemonConfiguration
    let decisions = Collected<GateDecision>()
    private var daemon: GateDaemon?
    private var running: Task<Void, any Error>?
    private var source: SteppedFrameSource?

    var issuer: TestIssuer { harness.issuer }
    var recorder: LampRecorder { harness.recorder }
    var logs: Collected<String> { harness.logs }

    init(country: String, rules: RuleSet?, valueSets: ValueSets?) throws {
        harness = try GateFaultTests.Harness(rules: rules, valueSets: valueSets, now: GateRulesTests.clock)
        configuration = try DaemonConfiguration.parse(harness.configurationText(country: country), file: "rules.conf")
    }

    func install(sequence: UInt64, rules: RuleSet?, valueSets: ValueSets?) throws {
        try harness.install(sequence: sequence, rules: rules, valueSets: valueSets, now: GateRulesTests.clock)
    }

    /// Starts the daemon at the test clock with one frame per payload, in order.
    func start(showing payloads: [String]) async throws {
        var files: [String] = []
        for (index, payload) in payloads.enumerated() {
            files.append(try frameFile(payload, in: harness.root, named: "frames/\(index).pgm"))
        }
        let source = try SteppedFrameSource(files: files)
        var options = harness.options(source: source)
        options.watchdog = nil  // frames wait for the test: no watchdog to starve
        options.onDecision = { [decisions] in decisions.append($0) }
        options.wallClock = WallClock(now: { GateRulesTests.clock })
        let daemon = GateDaemon(configuration: configuration, options: options)
        self.source = source
        self.daemon = daemon
        running = Task { try await daemon.run() }
    }

    /// Holds up the next frame and returns what the gate decided.
    func decideNext() async throws -> GateDecision {
        let count = decisions.items.count
        try #require(source != nil, "start the gate first")
        source?.release()
        #expect(await eventuallyAsync { decisions.items.count == count + 1 }, "no decision for frame \(count)")
        return try #require(decisions.items.last)
    }

    func status() -> StatusSnapshot? { harness.status() }

    func stop() async throws {
        await daemon?.stop()
        try await running?.value
        harness.notify.stop()
    }

    /// No name, date of birth or certificate identifier of these credentials in any log line.
    func expectNoPersonalData(of credentials: [TestCredential]) {
        let needles = Set(credentials.flatMap { Self.personalTexts($0.payload) })
        #expect(needles.count >= 6, "names, date of birth and identifier: \(needles.count)")
        for line in logs.items {
            #expect(!needles.contains { line.contains($0) }, "personal data in \(line)")
        }
    }

    /// The texts of a DCC payload that identify its holder or the certificate.
    private static func personalTexts(_ value: CBORValue, key: String? = nil) -> [String] {
        if let entries = value.mapEntries {
            return entries.flatMap { entry in entry.key.string.map { personalTexts(entry.value, key: $0) } ?? [] }
        }
        if let items = value.arrayItems { return items.flatMap { personalTexts($0, key: key) } }
        guard let text = value.string, let key, ["fn", "fnt", "gn", "gnt", "dob", "ci"].contains(key) else { return [] }
        return [text]
    }
}
