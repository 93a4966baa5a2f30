import AdmissionRules
import Foundation
import HealthCredentialsTesting
import JSON
import Testing

/// The EU's published rule sets and their tests (dgc-business-rules-testdata), run as the EU tooling runs them.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct CorpusRuleTests {
    static let root = TestCorpus.path("business-rules")

    /// Counts `tests/*.json` files beside a `rule.json` with FileManager, independently of RuleFiles.
    static func testFileCount() throws -> Int {
        let manager = FileManager.default
        var count = 0
        let enumerator = try #require(manager.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/")
            guard parts.count >= 3, parts[parts.count - 2] == "tests", relative.hasSuffix(".json") else { continue }
            let ruleFolder = parts.dropLast(2).joined(separator: "/")
            if manager.fileExists(atPath: root + "/" + ruleFolder + "/rule.json") { count += 1 }
        }
        return count
    }

    @Test func everyRuleTestAgrees() throws {
        let cases = try RuleFiles.ruleTests(at: Self.root)
        let results = RuleFiles.run(cases)
        let disagreeing = results.filter { !$0.agrees }
        for result in disagreeing {
            Issue.record("\(result.ruleIdentifier) \(result.file): expected \(result.expected), got \(result.got)")
        }
        #expect(disagreeing.isEmpty)
        #expect(results.count == (try Self.testFileCount()))
        #expect(results.count > 0)
    }
}

extension CorpusRuleTests {
    @Test func everyCorpusRuleValidatesAndFormsOneSet() throws {
        let rules = try RuleFiles.rules(at: Self.root)
        let ruleFiles = try #require(FileManager.default.enumerator(atPath: Self.root)).allObjects
            .compactMap { $0 as? String }.filter { $0.hasSuffix("/rule.json") }
        #expect(rules.count == ruleFiles.count)
        let set = try RuleSet(rules: rules)
        #expect(Set(set.summary.map(\.country)) == Set(rules.map(\.country)))
        let valueSets = try RuleFiles.valueSets(at: Self.root + "/valuesets/valueSets.json")
        #expect(set.missingValueSets(in: valueSets) == [])
    }

    @Test func selectsTheNewestValidVersionFromTheCorpus() throws {
        let set = try RuleSet(rules: RuleFiles.rules(at: Self.root))
        let selection = RuleSelection(
            arrivalCountry: "DE", certificateType: .test, issuerCountry: "AT", date: RuleFixture.date("2023-01-01T00:00:00Z"))
        let chosen = set.rules(for: selection)
        #expect(!chosen.isEmpty)
        #expect(chosen.allSatisfy { $0.country == "DE" && ($0.certificateType == .test || $0.certificateType == .general) })
        #expect(Set(chosen.map(\.identifier)).count == chosen.count)
        #expect(chosen.map(\.identifier) == chosen.map(\.identifier).sorted())
        #expect(set.lapsedTypes(arrivalCountry: "DE", region: nil, at: RuleFixture.date("2023-01-01T00:00:00Z")) == [])
        #expect(!set.lapsedTypes(arrivalCountry: "DE", region: nil, at: RuleFixture.date("2031-01-01T00:00:00Z")).isEmpty)
    }
}
