import AdmissionRules
import Foundation
import GateCheckTestSupport
import JSON
import Testing

/// Reading rule folders: made in a temporary folder per test.
@Suite struct RuleFilesTests {
    static func test(expected: Bool, clock: String? = nil, payload: JSONValue? = ["ver": "1.3.0", "v": [["dn": 2, "sd": 2]]]) -> JSONValue {
        var members: [(String, JSONValue)] = [("expected", .bool(expected))]
        if let payload { members.append(("payload", payload)) }
        members.append(("external", clock.map { ["validationClock": .string($0)] } ?? [:]))
        return .object(members)
    }

    @Test func findsRuleFoldersAndTheirTestsInOrder() throws {
        let folder = try TemporaryDirectory()
        try folder.write("DE/VR-DE-0001/rule.json", RuleFixture.json())
        try folder.write("DE/VR-DE-0001/tests/test002.json", Self.test(expected: true, clock: "2022-01-01T00:00:00+01:00"))
        try folder.write("DE/VR-DE-0001/tests/test001.json", Self.test(expected: false, payload: ["v": [["dn": 1, "sd": 2]]]))
        try folder.write("DE/VR-DE-0001/tests/notes.txt", "not a test")
        try folder.write("AT/GR-AT-0001/rule.json", RuleFixture.json("GR-AT-0001"))
        try folder.write(".git/rule.json", "not looked at")

        let cases = try RuleFiles.ruleTests(at: folder.path)
        #expect(cases.map(\.rule.identifier) == ["GR-AT-0001", "VR-DE-0001"])
        #expect(cases[0].tests.isEmpty)
        #expect(cases[1].tests.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["test001.json", "test002.json"])
        let results = RuleFiles.run(cases)
        #expect(results.map(\.agrees) == [true, true])
        #expect(results.map(\.testName) == ["test001.json", "test002.json"])

        #expect(try RuleFiles.rules(at: folder.path).map(\.identifier) == ["GR-AT-0001", "VR-DE-0001"])
        #expect(try RuleFiles.rules(at: folder.path + "/DE/VR-DE-0001/rule.json").map(\.identifier) == ["VR-DE-0001"])
    }

    @Test func judgesTestsStrictlyAndByTheRulesValidity() throws {
        let folder = try TemporaryDirectory()
        let numeric = RuleFixture.json(logic: ["var": "payload.v.0.dn"], affectedFields: ["v.0.dn"])
        try folder.write("VR-DE-0001/rule.json", numeric)
        try folder.write("VR-DE-0001/tests/test001.json", Self.test(expected: true))  // gets 2, not true
        try folder.write("GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try folder.write("GR-DE-0001/tests/test001.json", Self.test(expected: true, clock: "2021-06-30T23:59:59Z"))  // before ValidFrom
        try folder.write("GR-DE-0001/tests/test002.json", Self.test(expected: true, clock: "2030-06-01"))  // at ValidTo: outside
        try folder.write("GR-DE-0001/tests/test003.json", Self.test(expected: false, payload: nil))  // no payload reads as null
        try folder.write("GR-DE-0001/tests/test004.json", Self.test(expected: true, clock: "2030-05-31T23:59:59.999"))

        let results = RuleFiles.run(try RuleFiles.ruleTests(at: folder.path))
        #expect(results.map(\.got) == [.outsideValidity, .outsideValidity, .value(true), .value(true), .value(2)])
        #expect(results.map(\.agrees) == [false, false, false, true, false])
    }

    @Test func reportsAnEvaluationErrorAsDisagreement() throws {
        let folder = try TemporaryDirectory()
        let logic: JSONValue = ["before": [["plusTime": [["var": "payload.v.0.dt"], 0, "day"]], ["plusTime": ["2030-01-01", 0, "day"]]]]
        try folder.write("VR-DE-0001/rule.json", RuleFixture.json(logic: logic, affectedFields: ["v.0.dt"]))
        try folder.write("VR-DE-0001/tests/test001.json", Self.test(expected: false, payload: ["v": [["dt": "soon"]]]))
        let result = try #require(RuleFiles.run(try RuleFiles.ruleTests(at: folder.path)).first)
        #expect(!result.agrees)
        guard case .error = result.got else {
            Issue.record("expected an evaluation error, got \(result.got)")
            return
        }
    }

    @Test(arguments: [
        (#"{"expected": "yes", "external": {}}"#, AdmissionRulesError.Code.invalidTest),
        (#"{"expected": true}"#, .invalidTest),
        (#"{"expected": true, "external": []}"#, .invalidTest),
        (#"{"expected": true, "external": {"validationClock": "yesterday"}}"#, .invalidTest),
        (#"{"expected": true, "external": {}, "extra": 1}"#, .invalidTest),
        (#"[{"expected": true, "external": {}}]"#, .invalidTest),
        (#"{"expected": true, "external": {}"#, .invalidJSON),
    ])
    func refusesMalformedTests(text: String, code: AdmissionRulesError.Code) throws {
        let folder = try TemporaryDirectory()
        try folder.write("GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try folder.write("GR-DE-0001/tests/test001.json", text)
        #expect(throws: AdmissionRulesError(code, "")) { try RuleFiles.ruleTests(at: folder.path) }
    }

    @Test func refusesABadRuleAnywhereInTheTree() throws {
        let folder = try TemporaryDirectory()
        try folder.write("DE/GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try folder.write("DE/VR-DE-0001/rule.json", RuleFixture.with(RuleFixture.json(), "AffectedFields", ["v.0"]))
        #expect(throws: AdmissionRulesError(.affectedFieldsMismatch, "")) { try RuleFiles.rules(at: folder.path) }
        #expect(throws: AdmissionRulesError(.affectedFieldsMismatch, "")) { try RuleFiles.ruleTests(at: folder.path) }
    }

    @Test func refusesSymbolicLinksBelowThePathGiven() throws {
        let folder = try TemporaryDirectory()
        try folder.write("real/rule.json", RuleFixture.json())
        try folder.write("rules/GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/rules/VR-DE-0001", withDestinationPath: folder.path + "/real")
        #expect(throws: AdmissionRulesError(.unreadableFile, "")) { try RuleFiles.rules(at: folder.path + "/rules") }

        let linkedFile = try TemporaryDirectory()
        try linkedFile.write("GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try FileManager.default.createDirectory(atPath: linkedFile.path + "/GR-DE-0001/tests", withIntermediateDirectories: true)
        try folder.write("outside.json", Self.test(expected: true))
        try FileManager.default.createSymbolicLink(
            atPath: linkedFile.path + "/GR-DE-0001/tests/test001.json", withDestinationPath: folder.path + "/outside.json")
        #expect(throws: AdmissionRulesError(.unreadableFile, "")) { try RuleFiles.ruleTests(at: linkedFile.path) }

        // The path the operator names may itself be a link.
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/named", withDestinationPath: folder.path + "/real")
        #expect(try RuleFiles.rules(at: folder.path + "/named").map(\.identifier) == ["VR-DE-0001"])
    }

    @Test func boundsSizesAndCounts() throws {
        let folder = try TemporaryDirectory()
        try folder.write("GR-DE-0001/rule.json", RuleFixture.json("GR-DE-0001"))
        try folder.write("VR-DE-0001/rule.json", RuleFixture.json())
        #expect(throws: AdmissionRulesError(.fileTooLarge, "")) {
            try RuleFiles.rules(at: folder.path, limits: RuleFiles.Limits(maxFileBytes: 200))
        }
        #expect(throws: AdmissionRulesError(.tooManyFiles, "")) {
            try RuleFiles.rules(at: folder.path, limits: RuleFiles.Limits(maxEntries: 3))
        }
        #expect(throws: AdmissionRulesError(.tooManyFiles, "")) {
            try RuleFiles.rules(at: folder.path, limits: RuleFiles.Limits(maxDepth: 0))
        }
        #expect(try RuleFiles.rules(at: folder.path, limits: RuleFiles.Limits(maxEntries: 4, maxDepth: 1)).count == 2)
    }

    @Test func refusesWhatIsNotThere() throws {
        let folder = try TemporaryDirectory()
        #expect(throws: AdmissionRulesError(.unreadableFile, "")) { try RuleFiles.rules(at: folder.path + "/missing") }
        #expect(throws: AdmissionRulesError(.unreadableFile, "")) { try RuleFiles.valueSets(at: folder.path) }
        try folder.write("valueSets.json", #"{"a": ["x"], "b": [1]}"#)
        #expect(throws: AdmissionRulesError(.invalidValueSets, "")) { try RuleFiles.valueSets(at: folder.path) }
        try folder.write("valueSets.json", #"{"b": ["y"], "a": ["x"]}"#)
        #expect(try RuleFiles.valueSets(at: folder.path).names == ["a", "b"])
        #expect(try RuleFiles.valueSets(at: folder.path + "/valueSets.json").codes("a") == ["x"])
    }
}

extension TemporaryDirectory {
    func write(_ relative: String, _ value: JSONValue) throws { try write(relative, JSONWriter.string(value)) }
}
