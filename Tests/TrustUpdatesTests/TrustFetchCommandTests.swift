import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing

/// `gatecheck trust fetch` run as the binary, the way gatecheck-trust-fetch.service runs it.
@Suite struct TrustFetchCommandTests {
    static let gatecheck: String = builtExecutable("gatecheck") ?? repositoryRoot + "/.build/debug/gatecheck"

    /// The binary without proxy variables: nothing may leave 127.0.0.1.
    static func run(_ arguments: [String]) throws -> ProcessResult {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        return try runProcess(gatecheck, ["trust", "fetch"] + arguments, environment: environment)
    }

    struct Setup {
        let server: FetchTestServer
        let folder: TemporaryDirectory
        var state: String { folder.file("state") }
        var configuration: String { folder.file("gatecheck.conf") }

        init(url: (FetchTestServer) -> String?) throws {
            server = try FetchTestServer()
            folder = try TemporaryDirectory("fetch-cli")
            let anchors = try folder.directory("anchors")
            try TestCertificateAuthority.pem(FetchTestBundles.shared.anchor).write(toFile: anchors + "/root.pem", atomically: true, encoding: .utf8)
            var text = "state_dir = \"\(state)\"\nanchors_dir = \"\(anchors)\"\n[update]\nca_file = \"\(FetchTestTLS.shared.caFile)\"\ninterval = 600\n"
            if let url = url(server) { text += "url = \"\(url)\"\n" }
            try text.write(toFile: configuration, atomically: true, encoding: .utf8)
        }
    }

    @Test func theTimersRunInstallsThenWaitsForTheInterval() throws {
        let setup = try Setup { $0.url("files", "b.bundle") }
        try setup.server.put("b.bundle", try FetchTestBundles.shared.bundle(sequence: 4))

        let first = try Self.run(["--config", setup.configuration, "--if-due"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.lines == ["installed sequence 4 from \(setup.server.url("files", "b.bundle")): 1 signers, 0 revocation entries"])

        let second = try Self.run(["--config", setup.configuration, "--if-due"])
        #expect(second.status == 0)
        #expect(second.lines.count == 1 && second.lines[0].hasPrefix("not due: next fetch at "), "\(second.standardOutput)")
        #expect(setup.server.requests().count == 1, "a fetch that is not due sends nothing")

        let forced = try Self.run(["--config", setup.configuration])
        #expect(forced.status == 0)
        #expect(forced.lines.first?.hasPrefix("not modified: ") == true, "\(forced.standardOutput)")
    }

    @Test func aFailureExitsOneWithItsCodeAndTheNextTimerRunBacksOff() throws {
        let setup = try Setup { $0.url("files", "missing.bundle") }
        let failed = try Self.run(["--config", setup.configuration, "--if-due"])
        #expect(failed.status == 1)
        #expect(failed.standardError.hasPrefix("refused (fetch-http-status): \(setup.server.url("files", "missing.bundle")): HTTP status 404"), "\(failed.standardError)")
        let again = try Self.run(["--config", setup.configuration, "--if-due"])
        #expect(again.status == 0)
        #expect(again.lines.first?.contains("(1 failures in a row, last outcome fetch-http-status)") == true, "\(again.standardOutput)")
    }

    @Test func withoutAURLThereIsNothingToFetch() throws {
        let setup = try Setup { _ in nil }
        let result = try Self.run(["--config", setup.configuration, "--if-due"])
        #expect(result.status == 0)
        #expect(result.lines == ["nothing to fetch: no URL given and no [update] url in \(setup.configuration)"])
        #expect(setup.server.requests().isEmpty)
    }

    @Test func aPlainHTTPURLIsAUsageError() throws {
        let result = try Self.run(["http://127.0.0.1:1/b", "--state-dir", "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("https://"))
    }
}
