import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing

/// The README's `verify` example, run as printed (corpus paths resolved to wherever the corpus is):
/// its output must have exactly the keys, step names and values the README shows, so the example
/// cannot go stale again.
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct ReadmeExampleTests {
    static let readme = TestCorpus.repository.appendingPathComponent("README.md")

    /// The arguments of the first `.build/debug/gatecheck verify` command in a ```sh block, and the
    /// first ```json block after it.
    static func example() throws -> (arguments: [String], json: String) {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let command = try #require(text.range(of: ".build/debug/gatecheck verify"))
        let commandEnd = try #require(text.range(of: "```", range: command.upperBound..<text.endIndex))
        let arguments = text[command.lowerBound..<commandEnd.lowerBound]
            .replacingOccurrences(of: "\\\n", with: " ")
            .split(whereSeparator: \.isWhitespace).dropFirst().map(String.init)
        let jsonStart = try #require(text.range(of: "```json\n", range: commandEnd.upperBound..<text.endIndex))
        let jsonEnd = try #require(text.range(of: "\n```", range: jsonStart.upperBound..<text.endIndex))
        return (arguments, String(text[jsonStart.upperBound..<jsonEnd.lowerBound]))
    }

    @Test func verifyExampleMatchesTheRealOutput() throws {
        let (arguments, shown) = try Self.example()
        #expect(arguments.first == "verify")
        let corpusPrefix = "../shared/corpus/"
        let resolved = arguments.map { $0.hasPrefix(corpusPrefix) ? TestCorpus.path(String($0.dropFirst(corpusPrefix.count))) : $0 }
        let result = try GateCheckCLI.run(resolved)
        #expect(result.status == 0, "\(result.standardError)")
        let real = try #require(result.jsonObjects.first)
        let documented = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])

        #expect(Set(real.keys) == Set(documented.keys))
        let realSteps = try #require(real["steps"] as? [String: String])
        let documentedSteps = try #require(documented["steps"] as? [String: String])
        #expect(realSteps == documentedSteps)
        for key in ["format", "verdict", "kid", "issuer", "type"] {
            #expect(real[key] as? String == documented[key] as? String, "\(key)")
        }
        // The line's key order is part of the contract too.
        let realOrder = result.lines.first.map(Self.topLevelKeyOrder) ?? []
        #expect(realOrder == Self.topLevelKeyOrder(shown))
    }

    /// Top-level keys in the order written (the nested `steps` object is skipped).
    static func topLevelKeyOrder(_ line: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" {
                let end = line[line.index(after: index)...].firstIndex(of: "\"") ?? line.endIndex
                let word = String(line[line.index(after: index)..<end])
                let after = end < line.endIndex ? line.index(after: end) : end
                if depth == 1, after < line.endIndex, line[after] == ":" { keys.append(word) }
                index = after
                continue
            }
            if character == "{" { depth += 1 } else if character == "}" { depth -= 1 }
            index = line.index(after: index)
        }
        return keys
    }
}
