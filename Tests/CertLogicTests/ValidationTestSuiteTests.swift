import CertLogic
import HealthCredentialsTesting
import JSON
import Testing

/// Runs every case of the specification's validation test suite: an expression with no issues must
/// be accepted, one with issues refused as an invalid expression.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct ValidationTestSuiteTests {
    @Test func everyCaseIsAcceptedOrRefusedAsListed() throws {
        let files = try CorpusFiles.jsonFiles(in: "certlogic/validation-testSuite")
        #expect(files.count >= 4)
        var total = 0
        var checked = 0
        var accepted = 0
        for (fileName, file) in files {
            for testCase in file["cases"]?.array ?? [] {
                total += 1
                if CorpusFiles.isSkipped(file) || CorpusFiles.isSkipped(testCase) { continue }
                checked += 1
                let source = try #require(testCase.object?["certLogicExpression"], "\(fileName): case without expression")
                let issues = try #require(testCase["issues"]?.array, "\(fileName): case without issues")
                let label = "\(fileName): \(source)"
                if issues.isEmpty {
                    #expect(throws: Never.self, "\(label) must be accepted") { _ = try CertLogicExpression(validating: source) }
                    accepted += 1
                } else {
                    #expect(throws: CertLogicError(.invalidExpression, ""), "\(label) must be refused") {
                        _ = try CertLogicExpression(validating: source)
                    }
                }
            }
        }
        print("CertLogic validation-testSuite: \(checked) cases checked (\(accepted) valid, \(checked - accepted) invalid) of \(total)")
        #expect(checked == total)
        #expect(accepted > 0 && accepted < checked)
    }
}
