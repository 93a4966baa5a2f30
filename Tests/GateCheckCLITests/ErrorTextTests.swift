import Foundation
import GateCheckTestSupport
import Testing

/// Issue 12: every error `gatecheck` shows is plain text for a person at the terminal: what failed, on which
/// input, what to do next. Never a Swift type name (`CodeScanningError.unreadableFile`), a source location
/// (`CodeInput.swift:30`), a Foundation dump (`Error Domain=NSCocoaErrorDomain …`) or `Optional(…)`.
@Suite struct ErrorTextTests {
    /// Inputs every case can point at, made once per case in a fresh folder.
    struct Inputs {
        let folder: TemporaryDirectory
        let root: String

        init() throws {
            folder = try TemporaryDirectory()
            root = folder.url.path
            let manager = FileManager.default
            for directory in ["folder", "empty", "state", "no-rules", "rule/tests"] {
                try manager.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
            }
            _ = try folder.write("garbage.pem", "this is not PEM\n")
            _ = try folder.write("garbage.json", "{ not json")
            _ = try folder.write("garbage.bundle", "not a bundle")
            _ = try folder.write("payloads.txt", "HC1:garbage\n")
            _ = try folder.write("expression.json", #"{"var": "payload.x"}"#)
            _ = try folder.write("rule/rule.json", "{ not json")
            _ = try folder.write("config.conf", "this = is not [ a configuration\n")
            // PNG and JPEG signatures followed by garbage: recognised as images, then refused as corrupt.
            try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("garbage".utf8)).write(to: folder.url.appendingPathComponent("broken.png"))
            try Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 32)).write(to: folder.url.appendingPathComponent("broken.jpg"))
        }

        /// `@/name` in a case's arguments stands for a path in the folder.
        func resolve(_ arguments: [String]) -> [String] {
            arguments.map { $0.replacingOccurrences(of: "@/", with: root + "/") }
        }
    }

    /// Each case: the arguments, and whether it is a usage error (exit status 2, one line on stderr).
    static let cases: [(arguments: [String], usage: Bool)] = [
        // verify: inputs it cannot read are FAIL lines on stdout (exit 1); bad options are usage errors.
        (["verify", "--state-dir", "@/state", "@/missing.png"], false),
        (["verify", "--state-dir", "@/state", "@/folder"], false),
        (["verify", "--state-dir", "@/state", "@/broken.png"], false),
        (["verify", "--state-dir", "@/state", "@/broken.jpg"], false),
        (["verify", "--state-dir", "@/state", "--json", "@/missing.png"], false),
        (["verify", "--state-dir", "@/state", "@/payloads.txt"], false),
        (["verify", "--trust", "@/garbage.pem", "@/payloads.txt"], true),
        (["verify", "--trust", "@/missing.pem", "@/payloads.txt"], true),
        (["verify", "--trust-list-key", "@/garbage.pem", "--trust", "@/folder", "@/payloads.txt"], true),
        (["verify", "--trust-list-key", "@/missing.pem", "--trust", "@/folder", "@/payloads.txt"], true),
        (["verify", "--at", "yesterday", "@/payloads.txt"], true),
        (["verify", "--state-dir", "@/state", "--country", "DE", "@/payloads.txt"], true),
        (["verify", "--state-dir", "@/state", "--country", "DE", "--rules", "@/missing", "--value-sets", "@/garbage.json", "@/payloads.txt"], true),
        (["verify", "--state-dir", "@/state", "--country", "DE", "--rules", "@/rule", "--value-sets", "@/garbage.json", "@/payloads.txt"], true),
        (["verify", "--stale-trust", "maybe", "@/payloads.txt"], true),
        // scan
        (["scan", "@/missing.png"], false),
        (["scan", "@/folder"], false),
        (["scan", "@/broken.png", "@/broken.jpg"], false),
        (["scan", "--device", "@/missing-camera"], true),
        (["scan", "--device", "@/payloads.txt"], true),
        (["scan", "--device", "@/missing-camera", "--config", "@/config.conf"], true),
        // trust: no store, no anchors, bad bundles, bad back-office input
        (["trust", "show", "--state-dir", "@/state"], false),
        (["trust", "show", "--state-dir", "@/state", "--anchors", "@/folder"], false),
        (["trust", "export", "--state-dir", "@/state", "--output", "@/copy.bundle"], false),
        (["trust", "import", "--anchors", "@/missing-anchors", "--state-dir", "@/state", "@/garbage.bundle"], true),
        (["trust", "import", "--anchors", "@/empty", "--state-dir", "@/state", "@/garbage.bundle"], true),
        (["trust", "import", "--config", "@/missing.conf", "@/garbage.bundle"], true),
        (["trust", "import", "--config", "@/config.conf", "@/garbage.bundle"], true),
        (["trust", "bundle", "verify", "--anchors", "@/missing-anchors", "@/garbage.bundle"], true),
        (["trust", "bundle", "inspect", "@/garbage.bundle"], false),
        (["trust", "bundle", "inspect", "@/missing.bundle"], false),
        (["trust", "bundle", "inspect", "@/folder"], false),
        (["trust", "bundle", "create", "--signing-key", "@/missing.pem", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        (["trust", "bundle", "create", "--signing-key", "@/garbage.pem", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        (["trust", "bundle", "create", "--signing-key", "@/folder", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        (["trust", "bundle", "create", "--gateway-trust-list", "@/missing.json", "--signing-key", "@/garbage.pem", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        (["trust", "bundle", "create", "--cert", "@/garbage.pem", "--signing-key", "@/garbage.pem", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        (["trust", "bundle", "create", "--revoked-uci", "@/missing.txt", "--signing-key", "@/garbage.pem", "--signing-cert", "@/garbage.pem", "--sequence", "1", "--valid-days", "1", "--output", "@/new.bundle"], true),
        // rules
        (["rules", "test", "@/missing"], true),
        (["rules", "test", "@/no-rules"], true),
        (["rules", "test", "@/garbage.json"], true),
        (["rules", "test", "@/rule"], true),
        (["rules", "eval", "@/garbage.json", "@/garbage.json"], true),
        (["rules", "eval", "@/missing.json", "@/missing.json"], true),
        (["rules", "eval", "@/expression.json", "@/missing.json"], true),
        (["rules", "eval", "@/folder", "@/garbage.json"], true),
        // camera and status
        (["camera", "list", "--directory", "@/missing"], false),
        (["camera", "list", "--directory", "@/payloads.txt"], false),
        (["camera", "list", "--controls", "--json", "--directory", "@/missing"], false),
        (["camera", "snapshot", "--device", "@/missing-camera", "@/new.png"], true),
        (["camera", "snapshot", "--device", "@/missing-camera", "@/payloads.txt"], false),
        (["camera", "snapshot", "--config", "@/config.conf", "@/new.png"], true),
        (["camera", "aim", "--device", "@/missing-camera", "--frames", "3"], true),
        (["camera", "aim", "--device", "@/payloads.txt", "--seconds", "2"], true),
        (["camera", "aim", "--config", "@/missing.conf"], true),
        (["status", "--socket", "@/missing.sock"], false),
        (["status", "--socket", "relative/missing.sock"], false),
        (["status", "--socket", "@/payloads.txt"], false),
    ]

    /// What must never reach a user, with why.
    static let forbidden: [(pattern: String, why: String)] = [
        ("Error.", "a Swift type name such as CodeScanningError.unreadableFile"),
        ("Error(", "a Swift error value dump"),
        (".swift:", "a source location"),
        ("NSCocoaErrorDomain", "a Foundation error dump"),
        ("NSPOSIXErrorDomain", "a Foundation error dump"),
        ("Optional(", "an optional's debug text"),
    ]

    @Test(arguments: 0..<cases.count)
    func errorsArePlainText(index: Int) throws {
        let inputs = try Inputs()
        let arguments = inputs.resolve(Self.cases[index].arguments)
        let result = try GateCheckCLI.run(arguments)
        let shown = "$ gatecheck \(arguments.joined(separator: " "))\n--- stdout\n\(result.standardOutput)--- stderr\n\(result.standardError)"

        #expect(result.status != 0, "an error case must fail: \(shown)")
        #expect(!result.standardError.isEmpty, "a failure must say why on stderr: \(shown)")
        for (pattern, why) in Self.forbidden {
            #expect(!result.standardOutput.contains(pattern), "stdout shows \(why) (\(pattern)): \(shown)")
            #expect(!result.standardError.contains(pattern), "stderr shows \(why) (\(pattern)): \(shown)")
        }
        if Self.cases[index].usage {
            #expect(result.status == 2, "a usage error exits 2: \(shown)")
            let lines = result.standardError.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            // ArgumentParser's own validation errors add a usage synopsis; our usage errors are one line.
            if !result.standardError.contains("\nUsage: ") {
                #expect(lines.count == 1, "a usage error is one line on stderr: \(shown)")
            }
        }
        // The message names the input it is about: one of the values given (not the command words, not flags).
        let commandWords = Self.cases[index].arguments.prefix { !$0.hasPrefix("-") && !$0.hasPrefix("@/") }.count
        let named = arguments.dropFirst(commandWords).filter { !$0.hasPrefix("-") }
        if !named.isEmpty && !result.standardError.contains("Usage: ") {
            #expect(named.contains { (result.standardError + result.standardOutput).contains($0) }, "the message names the input: \(shown)")
        }
    }

    /// The fix is at the source: library errors describe themselves plainly, with the location kept for debugging.
    @Test func missingFileLineFromVerifyIsPlain() throws {
        let inputs = try Inputs()
        let missing = inputs.root + "/missing.png"
        let result = try GateCheckCLI.run(["verify", "--state-dir", inputs.root + "/state", missing])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix("FAIL \(missing) reason=unreadable-input (\(missing): "), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("unreadableFile"), "\(result.standardOutput)")
    }

    /// A machine without a trust store: `trust show` and `trust export` say so and say how to install one.
    @Test(arguments: [["trust", "show"], ["trust", "export", "--output", "@/copy.bundle"]])
    func noStoreSaysHowToInstallOne(command: [String]) throws {
        let inputs = try Inputs()
        let result = try GateCheckCLI.run(inputs.resolve(command + ["--state-dir", "@/state", "--anchors", "@/missing-anchors"]))
        #expect(result.status == 1, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardError)")
        #expect(result.standardError.contains("not-installed"), "\(result.standardError)")
        #expect(result.standardError.contains("no trust store is installed in \(inputs.root)/state"), "\(result.standardError)")
        #expect(result.standardError.contains("gatecheck trust import"), "\(result.standardError)")
        #expect(result.standardError.contains("GCTRUST"), "\(result.standardError)")
        #expect(!result.standardError.contains("anchor"), "the missing store is the news, not the anchors: \(result.standardError)")
    }

    @Test func verifyHelpShowsTheMaximumTrustAgeDefault() throws {
        let result = try GateCheckCLI.run(["verify", "--help"])
        #expect(result.status == 0)
        let help = result.standardOutput.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(help.contains("--max-trust-age-days"))
        #expect(help.contains("only the bundle's notAfter counts"), "\(result.standardOutput)")
    }
}
