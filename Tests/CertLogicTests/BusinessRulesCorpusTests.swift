import CertLogic
import Foundation
import HealthCredentialsTesting
import JSON
import Testing

/// Real rules from the EU gateway's business-rules corpus: every rule's `Logic` must validate, and
/// every rule test (a payload, external parameters and an expected outcome) must give that outcome
/// when a rule passes exactly if its value is truthy and an error counts as a failure.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct BusinessRulesCorpusTests {
    /// (rule folder, rule JSON) for every `*/*/rule.json`.
    static func rules() throws -> [(folder: URL, rule: JSONValue)] {
        let root = TestCorpus.url("business-rules")
        let fileManager = FileManager.default
        var rules: [(URL, JSONValue)] = []
        for country in try fileManager.contentsOfDirectory(atPath: root.path).sorted() {
            let countryURL = root.appendingPathComponent(country)
            guard let identifiers = try? fileManager.contentsOfDirectory(atPath: countryURL.path) else { continue }
            for identifier in identifiers.sorted() {
                let folder = countryURL.appendingPathComponent(identifier)
                let ruleURL = folder.appendingPathComponent("rule.json")
                guard fileManager.fileExists(atPath: ruleURL.path) else { continue }
                rules.append((folder, try JSONParser.parse(Array(try Data(contentsOf: ruleURL)))))
            }
        }
        return rules
    }

    @Test func everyRuleValidatesAndPassesItsTests() throws {
        let rules = try Self.rules()
        #expect(rules.count >= 100)
        var testsRun = 0
        for (folder, rule) in rules {
            let logic = try #require(rule["Logic"], "\(folder.lastPathComponent): no Logic")
            let expression: CertLogicExpression
            do {
                expression = try CertLogicExpression(validating: logic)
            } catch {
                Issue.record("\(folder.lastPathComponent): refused: \(error)")
                continue
            }
            #expect(!expression.dataPaths.isEmpty, "\(folder.lastPathComponent) reads no data")
            let testsFolder = folder.appendingPathComponent("tests")
            let testNames = (try? FileManager.default.contentsOfDirectory(atPath: testsFolder.path)) ?? []
            for testName in testNames.sorted() where testName.hasSuffix(".json") {
                let test = try JSONParser.parse(Array(try Data(contentsOf: testsFolder.appendingPathComponent(testName))))
                let expected = try #require(test["expected"]?.bool as Bool?, "\(folder.lastPathComponent)/\(testName): no expected")
                let data = JSONValue.object([("payload", test["payload"] ?? .null), ("external", test["external"] ?? .null)])
                let passed = (try? expression.isSatisfied(by: data)) ?? false
                #expect(passed == expected, "\(folder.lastPathComponent)/\(testName) (\(test["name"]?.string ?? "")): got \(passed)")
                testsRun += 1
            }
        }
        print("business-rules corpus: \(rules.count) rules validated, \(testsRun) rule tests run")
        #expect(testsRun > 500)
    }
}
