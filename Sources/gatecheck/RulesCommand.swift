import AdmissionRules
import ArgumentParser
import CertLogic
import FoundationEssentials
import JSON

/// `gatecheck rules`: the tools an authority needs to write admission rules: run their tests,
/// and evaluate one CertLogic expression as certlogic-js's command-line runner does.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Test admission rules (EU business rules, CertLogic) and evaluate expressions.",
        subcommands: [TestCommand.self, EvalCommand.self]
    )

    /// `gatecheck rules test`: every rule test under the given folders, one line each, then a count.
    struct TestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run rule tests in the EU business-rules format (rule.json plus tests/*.json).",
            discussion: """
                A PATH is a rule folder (rule.json and tests/) or any folder above one. Each test prints one line \
                (with --json an object with rule, test, expected and got), and the run ends with "N passed, M failed". \
                Exit status: 0 if every test agrees with its expectation, 1 if any does not, 2 on a usage error.
                """
        )

        @Flag(name: .customLong("json"), help: "Print one JSON object per test.")
        var json = false

        @Argument(help: "Rule folders, or folders above them.")
        var paths: [String]

        func validate() throws {
            guard !paths.isEmpty else { throw ValidationError("give at least one PATH") }
        }

        func run() throws {
            var cases: [RuleTestCase] = []
            do {
                for path in paths { cases += try RuleFiles.ruleTests(at: path) }
            } catch {
                throw Refusal.usage("rules test", error, next: "give rule folders (rule.json and tests/) or folders above them")
            }
            guard !cases.isEmpty else {
                throw UsageError(
                    "rules test: no rule tests found under \(paths.joined(separator: ", ")); "
                        + "give rule folders (rule.json and tests/*.json) or folders above them")
            }
            var passed = 0
            var failed = 0
            for result in RuleFiles.run(cases) {
                if result.agrees { passed += 1 } else { failed += 1 }
                print(json ? Self.jsonLine(result) : Self.textLine(result))
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }

        static func jsonLine(_ result: RuleTestResult) -> String {
            var line = JSONObject()
            line["rule"] = .string(result.ruleIdentifier)
            line["test"] = .string(result.testName)
            line["file"] = .string(result.file)
            line["expected"] = .bool(result.expected)
            switch result.got {
            case .value(let value):
                line["got"] = value
            case .error(let error):
                line["got"] = .null
                line["error"] = .string(error.code.description)
            case .outsideValidity:
                line["got"] = .null
                line["error"] = .string("outside-validity")
            }
            return JSONWriter.string(.object(line))
        }

        static func textLine(_ result: RuleTestResult) -> String {
            let got: String =
                switch result.got {
                case .value(let value): JSONWriter.string(value)
                case .error(let error): "error (\(error))"
                case .outsideValidity: "nothing: the validation clock lies outside the rule's validity"
                }
            return "\(result.agrees ? "ok  " : "FAIL") \(result.ruleIdentifier) \(result.testName): expected \(result.expected), got \(got)"
        }
    }

    /// `gatecheck rules eval EXPRESSION.json DATA.json`: prints the JSON result.
    struct EvalCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Evaluate one CertLogic expression on a data document and print the JSON result.",
            discussion: "The expression is validated first, as a bundle's rules are. Exit status: 0 with a result, 1 if evaluation fails, 2 on unreadable or invalid input."
        )

        @Argument(help: "A file holding the CertLogic expression (JSON).")
        var expression: String
        @Argument(help: "A file holding the data (JSON), e.g. {\"payload\": …, \"external\": …}.")
        var data: String

        func run() throws {
            let parsed: CertLogicExpression
            let document: JSONValue
            do {
                parsed = try CertLogicExpression(validating: RuleFiles.json(at: expression))
            } catch {
                throw Refusal.usage("rules eval: expression", error, next: "give a JSON file holding one CertLogic expression")
            }
            do {
                document = try RuleFiles.json(at: data)
            } catch {
                throw Refusal.usage("rules eval: data", error, next: "give a JSON file holding the data, e.g. {\"payload\": …, \"external\": …}")
            }
            do {
                print(JSONWriter.string(try parsed.evaluate(document)))
            } catch {
                printToStandardError("rules eval: evaluating \(expression) on \(data) failed (\(error)); check the expression against the data")
                throw ExitCode(1)
            }
        }
    }
}
