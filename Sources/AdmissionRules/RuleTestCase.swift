import JSON

/// A rule with its tests, as found in a `rule.json` folder with a `tests/` folder.
public struct RuleTestCase: Sendable {
    /// One test and the file it came from.
    public struct Entry: Sendable, Hashable {
        public let file: String
        public let test: RuleTest
    }

    public let rule: ValidationRule
    /// The `rule.json` path.
    public let ruleFile: String
    /// Sorted by file name.
    public let tests: [Entry]

    /// Runs every test as the EU tooling does: a `validationClock` outside the rule's validity fails
    /// the test; otherwise the logic is evaluated on `{payload, external}` and compared with
    /// `expected`. The schema-version check is off, as in the tooling (tests often use `{}` payloads).
    public func run(evaluator: RuleEvaluator = RuleEvaluator(checksSchemaVersion: false)) -> [RuleTestResult] {
        tests.map { entry in
            let test = entry.test
            let got: RuleTestResult.Got
            if let clock = test.validationClock, !rule.isValid(at: clock) {
                got = .outsideValidity
            } else {
                switch evaluator.result(of: rule, data: RuleEvaluator.data(payload: test.payload, external: test.external)) {
                case .success(let value): got = .value(value)
                case .failure(let error): got = .error(error)
                }
            }
            let fileName = String(entry.file.split(separator: "/").last ?? Substring(entry.file))
            return RuleTestResult(
                ruleIdentifier: rule.identifier, testName: test.name ?? fileName, file: entry.file, expected: test.expected, got: got)
        }
    }
}
