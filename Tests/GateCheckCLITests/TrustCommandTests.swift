import Glibc
import CBOR
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// `gatecheck trust …` and `gatecheck verify --state-dir`, run as the binary, as the field
/// technician and the back office will.
@Suite struct TrustCommandTests {
    static let validAt = "2022-08-08T00:00:00Z"  // TestCredential.validAt
    static let revokedCI = "URN:UVCI:01:XX:GATECHECKTEST0001"  // TestCredential's default ci

    /// A bundle-signing PKI on disk: anchors folder, signer key and certificate PEMs, one DSC.
    struct Setup {
        let folder: TemporaryDirectory
        let anchors: String
        let signingKey: String
        let signingCert: String
        let dsc: String
        let issuer: TestIssuer
        let state: String

        init() throws {
            folder = try TemporaryDirectory()
            let authority = try TestCertificateAuthority(commonName: "CLI Test Root")
            let root = authority.certificate
            let (key, leaf) = try authority.issueSigner(commonName: "CLI Test Bundle Signer")
            let anchorsURL = folder.url.appendingPathComponent("anchors")
            try FileManager.default.createDirectory(at: anchorsURL, withIntermediateDirectories: true)
            anchors = anchorsURL.path
            try Data(Self.pem(root).utf8).write(to: anchorsURL.appendingPathComponent("root.pem"))
            signingKey = try folder.write("signer-key.pem", try key.pemEncoded())
            signingCert = try folder.write("signer-cert.pem", Self.pem(leaf))
            issuer = try TestIssuer()
            dsc = try folder.write("dsc.pem", Self.pem(issuer.certificate))
            state = folder.url.appendingPathComponent("state").path
        }

        static func pem(_ certificate: Certificate) -> String { TestCertificateAuthority.pem(certificate) }

        func path(_ name: String) -> String { folder.url.appendingPathComponent(name).path }

        /// `gatecheck trust bundle create` with this PKI.
        func create(sequence: Int, output: String, extra: [String] = []) throws -> GateCheckCLI.Result {
            try GateCheckCLI.run([
                "trust", "bundle", "create", "--signing-key", signingKey, "--signing-cert", signingCert,
                "--sequence", "\(sequence)", "--valid-days", "30", "--producer", "cli-tests",
            ] + extra + ["--output", output])
        }

        func importBundle(_ bundle: String) throws -> GateCheckCLI.Result {
            try GateCheckCLI.run(["trust", "import", "--state-dir", state, "--anchors", anchors, bundle])
        }

        func stateFiles() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: state) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: state + "/" + name))
            }
            return files
        }
    }

    static func credential(ci: String) -> TestCredential {
        TestCredential(payload: TestCredential.payload(
            type: .vaccination, entry: TestCredential.defaultEntry(.vaccination).map { $0.0 == "ci" ? ("ci", .text(ci)) : $0 }))
    }

    @Test func createImportShowAndVerifyFromTheStore() throws {
        let setup = try Setup()
        let revoked = try setup.folder.write("revoked.txt", "# revoked by the health authority\n\(Self.revokedCI)\n\nURN:UVCI:01:XX:SOMEONE-ELSE\n")
        let bundle = setup.path("b.bundle")
        let created = try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc, "--revoked-uci", revoked])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("sequence 1, 1 signers, 2 revocation entries"), "\(created.standardOutput)")

        // `bundle verify` and `bundle inspect` on the back-office side.
        let checked = try GateCheckCLI.run(["trust", "bundle", "verify", "--anchors", setup.anchors, bundle])
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.hasPrefix("ok: sequence 1, 1 signers, 2 revocation entries"), "\(checked.standardOutput)")
        let inspected = try GateCheckCLI.run(["trust", "bundle", "inspect", bundle])
        #expect(inspected.status == 0)
        #expect(inspected.standardOutput.contains("UNVERIFIED"))

        let imported = try setup.importBundle(bundle)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("installed sequence 1: 1 signers, 2 revocation entries"), "\(imported.standardOutput)")

        let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json"])
        #expect(shown.status == 0, "\(shown.standardError)")
        let status = try #require(shown.jsonObjects.first)
        #expect(status["sequence"] as? Int == 1)
        #expect(status["status"] as? String == "ok")
        #expect(status["signers"] as? Int == 1)
        #expect(status["producer"] as? String == "cli-tests")
        #expect((status["revocations"] as? [String: Int])?["revoked-uci"] == 2)
        #expect((status["signersByCountry"] as? [String: Int]) == ["XX": 1])
        let text = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors])
        #expect(text.standardOutput.hasPrefix("status: OK"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("sequence: 1"))

        // verify with no --trust: the installed store, with its revocation table.
        let good = try setup.issuer.hc1(Self.credential(ci: "URN:UVCI:01:XX:NOT-REVOKED"))
        let payloads = try setup.folder.write("payloads.txt", good + "\n")
        let passed = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", Self.validAt, "--json", payloads])
        #expect(passed.status == 0, "\(passed.standardError) \(passed.standardOutput)")
        let pass = try #require(passed.jsonObjects.first)
        #expect(pass["verdict"] as? String == "pass")
        let steps = try #require(pass["steps"] as? [String: String])
        #expect(steps["trust"] == "ok")
        #expect(steps["revocation"] == "ok")
        #expect(steps["signature"] == "ok")

        let bad = try setup.issuer.hc1(TestCredential())  // default ci: revoked
        let mixed = try setup.folder.write("mixed.txt", bad + "\n" + good + "\n")
        let failed = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", Self.validAt, "--json", mixed])
        #expect(failed.status == 1)
        let objects = failed.jsonObjects
        #expect(objects.map { $0["verdict"] as? String } == ["fail", "pass"])
        #expect(objects.first?["reason"] as? String == "revoked")
        #expect((objects.first?["steps"] as? [String: String])?["revocation"] == "failed:revoked")
        #expect((objects.first?["steps"] as? [String: String])?["signature"] == "ok")

        // A signer not in the store is unknown, even though it is a perfectly good DSC.
        let stranger = try TestIssuer()
        let unknown = try setup.folder.write("unknown.txt", try stranger.hc1(TestCredential()) + "\n")
        let refused = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", Self.validAt, "--json", unknown])
        #expect(refused.status == 1)
        #expect(refused.jsonObjects.first?["reason"] as? String == "unknown-signer")
    }

    @Test func rejectedImportsExitOneWithOneLineAndChangeNothing() throws {
        let setup = try Setup()
        let first = setup.path("one.bundle")
        #expect(try setup.create(sequence: 3, output: first, extra: ["--cert", setup.dsc]).status == 0)
        #expect(try setup.importBundle(first).status == 0)
        let before = try setup.stateFiles()
        #expect(Set(before.keys).isSuperset(of: ["trust.bundle", "trust.sequence"]), "\(before.keys)")

        // Rollback: the same bundle, and a lower sequence.
        let lower = setup.path("lower.bundle")
        #expect(try setup.create(sequence: 2, output: lower, extra: ["--cert", setup.dsc]).status == 0)
        // Tampered: a byte of the manifest flipped.
        var tamperedBytes = Array(try Data(contentsOf: URL(fileURLWithPath: first)))
        let manifestOffset = Int(tamperedBytes[(16 + 24)..<(16 + 32)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        tamperedBytes[manifestOffset + 40] ^= 0x01
        let tampered = setup.path("tampered.bundle")
        try Data(tamperedBytes).write(to: URL(fileURLWithPath: tampered))
        // A symlink to a good, newer bundle.
        let newer = setup.path("newer.bundle")
        #expect(try setup.create(sequence: 4, output: newer, extra: ["--cert", setup.dsc]).status == 0)
        let link = setup.path("link.bundle")
        try #require(symlink(newer, link) == 0)

        for (bundle, code) in [(first, "rollback"), (lower, "rollback"), (tampered, "bad-signature"), (link, "unsafe-file"),
                               (setup.path("missing.bundle"), "system-call")] {
            let result = try setup.importBundle(bundle)
            #expect(result.status == 1, "\(bundle): \(result.standardError)")
            let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == 1, "one line on stderr: \(result.standardError)")
            #expect(lines.first?.hasPrefix("refused") == true, "\(result.standardError)")
            #expect(result.standardError.contains(code), "\(bundle): \(result.standardError)")
            #expect(try setup.stateFiles() == before, "\(bundle) changed the store")
        }
        // The newer bundle itself installs.
        #expect(try setup.importBundle(newer).status == 0)
    }

    @Test func exportCopiesAndRefusesToOverwrite() throws {
        let setup = try Setup()
        let bundle = setup.path("b.bundle")
        #expect(try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc]).status == 0)
        #expect(try setup.importBundle(bundle).status == 0)
        let copy = setup.path("copy.bundle")
        let exported = try GateCheckCLI.run(["trust", "export", "--state-dir", setup.state, "--output", copy])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: bundle)))
        let again = try GateCheckCLI.run(["trust", "export", "--state-dir", setup.state, "--output", copy])
        #expect(again.status == 1)
        #expect(again.standardError.hasPrefix("refused"))
    }

    @Test func clockBehindTheHighWaterMarkFailsEveryVerdictAndShowSaysSo() throws {
        let setup = try Setup()
        let bundle = setup.path("b.bundle")
        #expect(try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc]).status == 0)
        #expect(try setup.importBundle(bundle).status == 0)
        // The device has already seen a time a day ahead of its clock.
        let ahead = Int(Date().timeIntervalSince1970) + 86_400
        try Data("\(ahead)\n".utf8).write(to: URL(fileURLWithPath: setup.state + "/clock.high-water"))
        let payloads = try setup.folder.write("p.txt", try setup.issuer.hc1(TestCredential()) + "\n")
        let result = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--json", payloads])
        #expect(result.status == 1)
        let object = try #require(result.jsonObjects.first)
        #expect(object["verdict"] as? String != "pass")
        #expect((object["steps"] as? [String: String])?["trust"] == "failed:clock-untrusted", "\(object)")
        let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json"])
        #expect(shown.jsonObjects.first?["status"] as? String == "clock-untrusted")
    }

    @Test func trustOlderThanTheMaximumAgeIsStale() throws {
        let setup = try Setup()
        let bundle = setup.path("b.bundle")
        #expect(try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc]).status == 0)
        #expect(try setup.importBundle(bundle).status == 0)
        Thread.sleep(forTimeInterval: 1.1)  // issuedAt is whole seconds: now make the age certainly above 0 days
        let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json", "--max-trust-age-days", "0"])
        #expect(shown.jsonObjects.first?["status"] as? String == "trust-stale", "\(shown.standardOutput)")
        let fresh = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json", "--max-trust-age-days", "30"])
        #expect(fresh.jsonObjects.first?["status"] as? String == "ok")
    }

    /// Issue 3 §5: the effective clock is never earlier than "a persisted high-water mark of the time
    /// last seen". Something has to persist it: a verification on the device's own clock (or an import)
    /// should leave `clock.high-water` in the state directory.
    @Test func verifyingOnTheDeviceClockPersistsTheHighWaterMark() throws {
        let setup = try Setup()
        let bundle = setup.path("b.bundle")
        #expect(try setup.create(sequence: 1, output: bundle, extra: ["--cert", setup.dsc]).status == 0)
        #expect(try setup.importBundle(bundle).status == 0)
        let payloads = try setup.folder.write("p.txt", try setup.issuer.hc1(TestCredential()) + "\n")
        let before = Date().timeIntervalSince1970
        _ = try GateCheckCLI.run(["verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--json", payloads])
        let mark = try? String(contentsOfFile: setup.state + "/clock.high-water", encoding: .utf8)
        #expect(mark != nil, "no clock.high-water after `trust import` and `verify` without --at: nothing ever calls TrustStoreDirectory.recordClock")
        if let mark, let seconds = Double(mark.trimmingCharacters(in: .whitespacesAndNewlines)) {
            #expect(seconds >= before.rounded(.down) - 1)
        }
    }

    @Test func showWithoutAStoreAndCreateOverAnExistingFileAreRefused() throws {
        let setup = try Setup()
        let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json"])
        #expect(shown.status == 1)
        #expect(shown.standardError.contains("not-installed"), "\(shown.standardError)")
        let existing = try setup.folder.write("exists.bundle", "keep")
        let created = try setup.create(sequence: 1, output: existing, extra: ["--cert", setup.dsc])
        #expect(created.status != 0)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep")
    }
}

extension TrustCommandTests {
    /// The shared corpus (skipped without it).
    @Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
    struct Corpus {
        @Test func germanTestListRoundTripsAndVerifiesTheVietnameseSample() throws {
            let setup = try Setup()
            let bundle = setup.path("de.bundle")
            let created = try setup.create(sequence: 1, output: bundle, extra: [
                "--dsc-list", TestCorpus.path("trustlists/de-test/dsc-list.json"),
                "--dsc-list-key", TestCorpus.path("trustlists/de-test/dsc-list-signing-key.pem"),
            ])
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput.contains("610 signers"), "\(created.standardOutput)")
            let imported = try setup.importBundle(bundle)
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput.contains("installed sequence 1: 610 signers"), "\(imported.standardOutput)")
            let shown = try GateCheckCLI.run(["trust", "show", "--state-dir", setup.state, "--anchors", setup.anchors, "--json"])
            #expect(shown.jsonObjects.first?["signers"] as? Int == 610)
            #expect(shown.jsonObjects.first?["sequence"] as? Int == 1)

            let result = try GateCheckCLI.run([
                "verify", "--state-dir", setup.state, "--anchors", setup.anchors, "--at", "2022-06-01T00:00:00Z", "--json",
                TestCorpus.path("samples/vn-vaccination.png"),
            ])
            #expect(result.status == 0, "\(result.standardError)")
            let object = try #require(result.jsonObjects.first)
            #expect(object["verdict"] as? String == "pass")
            #expect(object["issuer"] as? String == "VN")
            #expect(object["kid"] as? String == "8w2kZxb3iC0=")
            #expect((object["steps"] as? [String: String])?["revocation"] == "ok")
            #expect((object["steps"] as? [String: String])?["trust"] == "ok")
        }
    }
}
