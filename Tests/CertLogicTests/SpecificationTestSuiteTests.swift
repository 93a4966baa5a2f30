import CertLogic
import HealthCredentialsTesting
import JSON
import Testing

/// Runs every assertion of the specification's evaluator test suite (`certlogic/testSuite`).
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct SpecificationTestSuiteTests {
    @Test func everyAssertionEvaluatesToItsExpectedValue() throws {
        let files = try CorpusFiles.jsonFiles(in: "certlogic/testSuite")
        #expect(files.count >= 14, "the suite has at least 14 files")
        var total = 0
        var skipped = 0
        var ran = 0
        var passed = 0
        for (fileName, file) in files {
            let fileSkipped = CorpusFiles.isSkipped(file)
            for testCase in file["cases"]?.array ?? [] {
                let caseSkipped = fileSkipped || CorpusFiles.isSkipped(testCase)
                for assertion in testCase["assertions"]?.array ?? [] {
                    total += 1
                    if caseSkipped || CorpusFiles.isSkipped(assertion) {
                        skipped += 1
                        continue
                    }
                    ran += 1
                    let assertionName = assertion["message"]?.string ?? "\(assertion["data"] ?? .null)"
                    let label = "\(fileName) / \(testCase["name"]?.string ?? "?") / \(assertionName)"
                    // An assertion's own expression overrides its case's; the suite has no expected-error convention.
                    let source = try #require(assertion["certLogicExpression"] ?? testCase["certLogicExpression"], "\(label): no expression")
                    let expected = try #require(assertion["expected"], "\(label): no expected value")
                    do {
                        let expression = try CertLogicExpression(validating: source)
                        let result = try expression.evaluate(assertion["data"] ?? .null)
                        #expect(result == expected, "\(label): got \(result), expected \(expected)")
                        if result == expected { passed += 1 }
                    } catch {
                        Issue.record("\(label): threw \(error)")
                    }
                }
            }
        }
        print("CertLogic testSuite: \(ran) assertions run, \(passed) passed, \(skipped) skipped of \(total)")
        #expect(ran == total - skipped)
        #expect(passed == ran)
        #expect(ran > 0)
    }
}
