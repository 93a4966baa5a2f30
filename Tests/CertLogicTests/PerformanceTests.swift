import CertLogic
import Foundation
import HealthCredentialsTesting
import JSON
import Testing

/// A whole country's rules on one credential must cost well under 0.5 ms in release builds. Debug
/// builds are several times slower, so the bound asserted here is looser; the printed figure is
/// what to compare with the release target.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct PerformanceTests {
    @Test func aCountrysRulesEvaluateQuickly() throws {
        let rules = try BusinessRulesCorpusTests.rules().filter { $0.folder.deletingLastPathComponent().lastPathComponent == "CH" }
        #expect(rules.count >= 15)
        let expressions = try rules.map { try CertLogicExpression(validating: #require($0.rule["Logic"])) }
        // A rule test with a vaccination: its payload and external parameters (value sets, clock) as the data.
        let testURLs = rules.flatMap { rule in (1...9).map { rule.folder.appendingPathComponent("tests/test00\($0).json") } }
        let tests = testURLs.lazy.compactMap { try? JSONParser.parse(Array(try Data(contentsOf: $0))) }
        let test = try #require(tests.first { $0["payload"]?["v"]?.array?.isEmpty == false })
        let data = JSONValue.object([("payload", test["payload"] ?? .null), ("external", test["external"] ?? .null)])

        let rounds = 200
        var satisfied = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for expression in expressions where (try? expression.isSatisfied(by: data)) == true { satisfied += 1 }
            }
        }
        let perCredential = elapsed / rounds
        print("CertLogic: \(expressions.count) CH rules on one credential take \(perCredential) (\(satisfied / rounds) satisfied)")
        #expect(perCredential < .milliseconds(5))
    }
}
