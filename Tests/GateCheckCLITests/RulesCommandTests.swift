import CBOR
import Foundation
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// Admission rules through the binary: `rules test`, `rules eval`, bundles with rules, and
/// `verify --country` against the installed store or rule files.
@Suite struct RulesCommandTests {
    static let validAt = TrustCommandTests.validAt

    /// A rule in the EU gateway format, made in code.
    static func rule(
        identifier: String = "VR-XX-0001", country: String = "XX", type: String = "Vaccination",
        logic: String = #"{"if": [{"var": "payload.v.0"}, {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}, true]}"#,
        affectedFields: [String] = ["v.0", "v.0.dn", "v.0.sd"]
    ) -> String {
        """
        {"Identifier": "\(identifier)", "Type": "Acceptance", "Country": "\(country)", "Version": "1.0.0",
         "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "\(type)",
         "Description": [{"lang": "en", "desc": "The vaccination schedule must be complete."}],
         "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z",
         "AffectedFields": [\(affectedFields.map { "\"\($0)\"" }.joined(separator: ", "))],
         "Logic": \(logic)}
        """
    }

    static func ruleFolder(_ folder: TemporaryDirectory, _ name: String, rule: String, tests: [(String, String)] = []) throws -> String {
        let directory = folder.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try Data(rule.utf8).write(to: directory.appendingPathComponent("rule.json"))
        for (file, text) in tests { try Data(text.utf8).write(to: directory.appendingPathComponent("tests/\(file)")) }
        return directory.path
    }

    static func ruleTest(name: String, doses: Int, of total: Int, expected: Bool) -> String {
        """
        {"name": "\(name)", "expected": \(expected),
         "payload": {"v": [{"dn": \(doses), "sd": \(total)}]},
         "external": {"valueSets": {}, "validationClock": "2022-08-08T00:00:00Z", "countryCode": "XX", "exp": "2023-01-01T00:00:00Z", "iat": "2022-01-01T00:00:00Z"}}
        """
    }

    static func vaccination(dose: Int, of total: Int) -> TestCredential {
        TestCredential(payload: TestCredential.payload(
            type: .vaccination,
            entry: TestCredential.defaultEntry(.vaccination).map {
                $0.0 == "dn" ? ("dn", .integer(Int64(dose))) : $0.0 == "sd" ? ("sd", .integer(Int64(total))) : $0
            }))
    }

    static func recovery(validUntil: String) -> TestCredential {
        TestCredential(payload: TestCredential.payload(
            type: .recovery, entry: TestCredential.defaultEntry(.recovery).map { $0.0 == "du" ? ("du", .text(validUntil)) : $0 }))
    }

    @Test func ruleTestsReportEachTestAndCountAgreement() throws {
        let folder = try TemporaryDirectory()
        _ = try Self.ruleFolder(folder, "XX/VR-XX-0001", rule: Self.rule(), tests: [
            ("test001.json", Self.ruleTest(name: "complete", doses: 2, of: 2, expected: true)),
            ("test002.json", Self.ruleTest(name: "incomplete", doses: 1, of: 2, expected: false)),
            ("test003.json", Self.ruleTest(name: "wrongly expected", doses: 1, of: 2, expected: true)),
        ])
        let result = try GateCheckCLI.run(["rules", "test", "--json", folder.url.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.lines.last == "2 passed, 1 failed")
        let objects = result.jsonObjects
        #expect(objects.count == 3)
        #expect(objects.allSatisfy { $0["rule"] as? String == "VR-XX-0001" })
        #expect(objects.map { $0["expected"] as? Bool } == [true, false, true])
        #expect(objects.map { $0["got"] as? Bool } == [true, false, false])

        let agreeing = try TemporaryDirectory()
        _ = try Self.ruleFolder(agreeing, "VR-XX-0001", rule: Self.rule(), tests: [
            ("test001.json", Self.ruleTest(name: "complete", doses: 2, of: 2, expected: true)),
        ])
        let text = try GateCheckCLI.run(["rules", "test", agreeing.url.appendingPathComponent("VR-XX-0001").path])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.lines.last == "1 passed, 0 failed")
    }

    @Test func evalPrintsTheResultAndRefusesInvalidExpressions() throws {
        let folder = try TemporaryDirectory()
        let expression = try folder.write("e.json", #"{"plusTime": [{"var": "d"}, 1, "day"]}"#)
        let data = try folder.write("d.json", #"{"d": "2021-05-04T13:37:00Z"}"#)
        let result = try GateCheckCLI.run(["rules", "eval", expression, data])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("\"2021-05-05T13:37:00"), "\(result.standardOutput)")

        let invalid = try folder.write("bad.json", #"{"eval": ["rm -rf /"]}"#)
        let refused = try GateCheckCLI.run(["rules", "eval", invalid, data])
        #expect(refused.status == 2)
        #expect(!refused.standardError.isEmpty)
    }

    @Test func bundleCreateRefusesARuleThatADeviceWouldRefuse() throws {
        let setup = try TrustCommandTests.Setup()
        let valueSets = try setup.folder.write("valueSets.json", #"{"covid-19-lab-result": ["260415000"]}"#)
        let cases: [(String, String)] = [
            ("unknown operation", Self.rule(logic: #"{"eval": [1]}"#)),
            ("AffectedFields missing v.0.sd", Self.rule(affectedFields: ["v.0", "v.0.dn"])),
            ("not CertLogic", Self.rule().replacingOccurrences(of: "\"CERTLOGIC\"", with: "\"JSONLOGIC\"")),
            ("nested 500 deep", Self.rule(
                logic: String(repeating: #"{"!": ["#, count: 500) + #"{"var": "payload.v.0"}"# + String(repeating: "]}", count: 500),
                affectedFields: ["v.0"])),
            ("a reduce lambda over a 100 000-item literal", Self.rule(
                logic: #"{"reduce": [["# + Array(repeating: "1", count: 100_000).joined(separator: ",") + #"], {"+": [{"var": "accumulator"}, {"var": "current"}]}, {"var": "payload.v.0.dn"}]}"#,
                affectedFields: ["v.0.dn"])),
            ("unknown value set", Self.rule(
                logic: #"{"in": [{"var": "payload.t.0.tr"}, {"var": "external.valueSets.no-such-set"}]}"#, affectedFields: ["t.0.tr"])),
        ]
        for (index, (label, text)) in cases.enumerated() {
            let rules = try Self.ruleFolder(setup.folder, "case\(index)", rule: text)
            let output = setup.path("bad\(index).bundle")
            let result = try setup.create(sequence: 1, output: output, extra: ["--cert", setup.dsc, "--rules", rules, "--value-sets", valueSets])
            #expect(result.status != 0, "\(label): \(result.standardOutput)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(label)")
        }
    }

    @Test func bundleRulesDecideAtTheGateAndShowLists() throws {
        let setup = try TrustCommandTests.Setup()
        let rules = try Self.ruleFolder(setup.folder, "XX/VR-XX-0001", rule: Self.rule())
        let valueSets = try setup.folder.write("valueSets.json", #"{"covid-19-lab-result": ["260415000"]}"#)
        let bundle = setup.path("rules.bundle")
        let created = try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc, "--rules", rules, "--value-sets", valueSets])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("1 rules"), "\(created.standardOutput)")
        let inspected = try GateCheckCLI.run(["trust", "bundle", "inspect", bundle])
        #expect(inspected.standardOutput.contains("XX: 1 acceptance, 0 invalidation"), "\(inspected.standardOutput)")
        #expect(inspected.standardOutput.contains("VR-XX-0001 1.0.0"))
        #expect(try setup.importBundle(bundle).status == 0)

        let shown = try GateCheckCLI.run(["trust", "show", "--json", "--state-dir", setup.state, "--anchors", setup.anchors])
        let status = try #require(shown.jsonObjects.first)
        let sets = try #require(status["ruleSets"] as? [[String: Any]])
        #expect(sets.map { $0["country"] as? String } == ["XX"])
        #expect(sets.first?["acceptance"] as? Int == 1)
        #expect(status["valueSets"] as? [String] == ["covid-19-lab-result"])

        let complete = try setup.issuer.hc1(Self.vaccination(dose: 2, of: 2))
        let partial = try setup.issuer.hc1(Self.vaccination(dose: 1, of: 2))
        let payloads = try setup.folder.write("payloads.txt", complete + "\n" + partial + "\n")
        let store = ["--state-dir", setup.state, "--anchors", setup.anchors, "--at", Self.validAt, "--json"]
        let admitted = try GateCheckCLI.run(["verify", "--country", "XX"] + store + [payloads])
        #expect(admitted.status == 1)
        let objects = admitted.jsonObjects
        try #require(objects.count == 2, "\(admitted.standardError)")
        #expect(objects.map { $0["verdict"] as? String } == ["pass", "fail"])
        #expect((objects[0]["steps"] as? [String: String])?["rules"] == "ok")
        #expect(objects[0]["failedRules"] == nil)
        #expect(objects[1]["reason"] as? String == "rule-failed")
        #expect(objects[1]["failedRules"] as? [String] == ["VR-XX-0001"])

        // No country: the rules step is skipped and a pass means authentic.
        let authentic = try GateCheckCLI.run(["verify"] + store + [payloads])
        #expect(authentic.status == 0, "\(authentic.standardOutput)")
        #expect(authentic.jsonObjects.map { ($0["steps"] as? [String: String])?["rules"] } == ["skipped", "skipped"])

        // A country the bundle has no rules for cannot admit anyone.
        let elsewhere = try GateCheckCLI.run(["verify", "--country", "FR"] + store + [payloads])
        #expect(elsewhere.status == 1)
        #expect(elsewhere.jsonObjects.map { $0["reason"] as? String } == ["rules-missing", "rules-missing"])
    }

    @Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
    struct Corpus {
        @Test func everyPublishedRuleTestAgrees() throws {
            let root = TestCorpus.url("business-rules")
            var expected = 0
            for case let file as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            where file.pathExtension == "json" && file.deletingLastPathComponent().lastPathComponent == "tests" {
                expected += 1
            }
            let result = try GateCheckCLI.run(["rules", "test", "--json", root.path])
            #expect(result.status == 0, "\(result.lines.filter { $0.contains("\"got\"") && !$0.contains("\"error\"") }.count)")
            #expect(result.lines.last == "\(expected) passed, 0 failed")
            #expect(result.jsonObjects.count == expected)
        }

        /// The issue's end-to-end: DE rules and the EU value sets in a bundle, imported, then verify --country DE.
        @Test func germanRulesAdmitACompleteVaccinationOnly() throws {
            let setup = try TrustCommandTests.Setup()
            let bundle = setup.path("de.bundle")
            let created = try setup.create(sequence: 1, output: bundle, extra: [
                "--cert", setup.dsc, "--rules", TestCorpus.path("business-rules/DE"),
                "--value-sets", TestCorpus.path("business-rules/valuesets/valueSets.json"),
            ])
            #expect(created.status == 0, "\(created.standardError)")
            #expect(try setup.importBundle(bundle).status == 0)

            let complete = try setup.issuer.hc1(RulesCommandTests.vaccination(dose: 2, of: 2))
            let partial = try setup.issuer.hc1(RulesCommandTests.vaccination(dose: 1, of: 2))
            let pastRecovery = try setup.issuer.hc1(RulesCommandTests.recovery(validUntil: "2022-07-31"))
            let payloads = try setup.folder.write("payloads.txt", [complete, partial, pastRecovery].joined(separator: "\n") + "\n")
            let result = try GateCheckCLI.run([
                "verify", "--country", "DE", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", RulesCommandTests.validAt,
                "--json", payloads,
            ])
            let objects = result.jsonObjects
            try #require(objects.count == 3, "\(result.standardError)")
            #expect(objects.map { $0["verdict"] as? String } == ["pass", "fail", "fail"], "\(result.standardOutput)")
            #expect((objects[1]["failedRules"] as? [String])?.contains("VR-DE-0001") == true)
            #expect(objects[1]["reason"] as? String == "rule-failed")
            #expect(objects[2]["reason"] as? String == "recovery-expired")

            // The same rules from files, as the back office tests them.
            let fromFiles = try GateCheckCLI.run([
                "verify", "--trust", setup.dsc, "--country", "DE", "--rules", TestCorpus.path("business-rules/DE"),
                "--value-sets", TestCorpus.path("business-rules/valuesets/valueSets.json"), "--at", RulesCommandTests.validAt, "--json",
                payloads,
            ])
            #expect(fromFiles.jsonObjects.map { $0["verdict"] as? String } == ["pass", "fail", "fail"], "\(fromFiles.standardError)")
        }
    }
}
