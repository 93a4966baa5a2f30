import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// `gatecheck verify` is a contract: flags, JSON keys and exit statuses are checked here by running the binary.
@Suite struct VerifyCommandTests {
    static let contractKeys: Set<String> = ["input", "format", "profile", "verdict", "reason", "steps", "kid", "issuer", "type"]
    static let validAt = "2022-08-08T00:00:00Z"  // TestCredential.validAt

    /// A PEM file holding the issuer's DSC, and a payload file holding one credential per line.
    func fixture(_ issuer: TestIssuer, payloads: [String]) throws -> (TemporaryDirectory, trust: String, input: String) {
        let folder = try TemporaryDirectory()
        let pem = TestCertificateAuthority.pem(issuer.certificate)
        return (folder, try folder.write("dsc.pem", pem), try folder.write("payloads.txt", payloads.joined(separator: "\n") + "\n"))
    }

    @Test(arguments: [COSEAlgorithm.es256, .ps256])
    func passingCredentialPrintsTheContractAndExitsZero(algorithm: COSEAlgorithm) throws {
        let issuer = try TestIssuer(algorithm: algorithm)
        let (folder, trust, input) = try fixture(issuer, payloads: [try issuer.hc1(TestCredential(type: .test))])
        _ = folder
        let result = try GateCheckCLI.run(["verify", "--trust", trust, "--at", Self.validAt, "--json", input])
        #expect(result.status == 0, "\(result.standardError)")
        let objects = result.jsonObjects
        #expect(objects.count == 1)
        let object = try #require(objects.first)
        #expect(Set(object.keys) == Self.contractKeys)
        #expect(object["verdict"] as? String == "pass")
        #expect(object["reason"] is NSNull)
        #expect(object["format"] as? String == "hc1")
        #expect(object["type"] as? String == "t")
        #expect(object["issuer"] as? String == "XX")
        #expect(object["kid"] as? String == Data(issuer.kid).base64EncodedString())
        let steps = try #require(object["steps"] as? [String: String])
        #expect(Set(steps.keys) == Set(VerificationStep.allCases.map(\.rawValue)))
        // No --country: the rules step is skipped, and the pass means authentic.
        #expect(steps.filter { $0.key != "rules" }.values.allSatisfy { $0 == "ok" })
        #expect(steps["rules"] == "skipped")
        #expect(object["failedRules"] == nil)
    }

    @Test func unknownSignerFailsWithExitOne() throws {
        let issuer = try TestIssuer()
        let stranger = try TestIssuer()
        let (folder, trust, input) = try fixture(issuer, payloads: [try stranger.hc1(TestCredential())])
        _ = folder
        let result = try GateCheckCLI.run(["verify", "--trust", trust, "--at", Self.validAt, "--json", input])
        #expect(result.status == 1)
        let object = try #require(result.jsonObjects.first)
        #expect(object["verdict"] as? String == "fail")
        #expect(object["reason"] as? String == "unknown-signer")
        #expect((object["steps"] as? [String: String])?["signature"] == "failed:unknown-signer")
    }

    @Test func standardInputGivesOneLinePerPayload() throws {
        let issuer = try TestIssuer()
        let good = try issuer.hc1(TestCredential())
        let (folder, trust, input) = try fixture(issuer, payloads: [good, "HC2:NOTAPAYLOAD", good])
        _ = folder
        let result = try GateCheckCLI.run(["verify", "--trust", trust, "--at", Self.validAt, "--json", "-"], standardInput: URL(fileURLWithPath: input))
        #expect(result.status == 1)
        #expect(result.jsonObjects.map { $0["verdict"] as? String } == ["pass", "fail", "pass"])
        // No format has the shape "HC2:": it is not a malformed HC1 credential, but no credential GateCheck knows.
        #expect(result.jsonObjects[1]["format"] as? String == "unknown")
        #expect(result.jsonObjects[1]["reason"] as? String == "unsupported-format")
        #expect(result.jsonObjects.allSatisfy { $0["input"] as? String == "-" })
    }

    @Test func holderDataAppearsOnlyWhenAskedFor() throws {
        let issuer = try TestIssuer()
        let (folder, trust, input) = try fixture(issuer, payloads: [try issuer.hc1(TestCredential())])
        _ = folder
        for json in [true, false] {
            let base = ["verify", "--trust", trust, "--at", Self.validAt] + (json ? ["--json"] : [])
            let hidden = try GateCheckCLI.run(base + [input])
            for secret in ["Testperson", "TESTPERSON", "ANNA", "1980-01-01"] {
                #expect(!hidden.standardOutput.contains(secret) && !hidden.standardError.contains(secret))
            }
            let shown = try GateCheckCLI.run(base + ["--show-holder", input])
            #expect(shown.standardOutput.contains("TESTPERSON") && shown.standardOutput.contains("1980-01-01"))
        }
    }

    @Test(arguments: [
        ["verify"],
        ["verify", "--at", "yesterday", "x.txt"],
        ["verify", "--trust", "/nonexistent/trust", "x.txt"],
        ["verify", "--no-such-flag", "x.txt"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try GateCheckCLI.run(arguments)
        #expect(result.status == 2, "stderr: \(result.standardError)")
        #expect(!result.standardError.isEmpty)
    }

    @Test func hundredMegabyteLineOnStandardInputIsRefused() throws {
        let folder = try TemporaryDirectory()
        let file = folder.url.appendingPathComponent("huge.txt")
        try #require(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        let block = Data(repeating: UInt8(ascii: "H"), count: 1 << 20)
        for _ in 0..<100 { handle.write(block) }
        try handle.close()
        let result = try GateCheckCLI.run(["verify", "--json", "-"], standardInput: file)
        #expect(result.status == 1)
        #expect(result.jsonObjects.first?["reason"] as? String == "payload-too-large")
    }
}

/// The real samples from the shared corpus, exactly as the README shows them.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct VerifyCommandCorpusTests {
    @Test func vietnameseSampleVerifiesAgainstTheGermanTestList() throws {
        let result = try GateCheckCLI.run([
            "verify", "--trust", TestCorpus.url("trustlists/de-test").path,
            "--trust-list-key", TestCorpus.url("trustlists/de-test/dsc-list-signing-key.pem").path,
            "--at", "2022-06-01T00:00:00Z", "--json", TestCorpus.url("samples/vn-vaccination.png").path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(result.jsonObjects.first)
        #expect((object["steps"] as? [String: String])?["signature"] == "ok")
        #expect(object["verdict"] as? String == "pass")
        #expect(object["issuer"] as? String == "VN")
        #expect(object["kid"] as? String == "8w2kZxb3iC0=")
    }

    @Test func signedListWithoutItsKeyIsAUsageError() throws {
        let result = try GateCheckCLI.run([
            "verify", "--trust", TestCorpus.url("trustlists/de-test").path, TestCorpus.url("samples/vn-vaccination.hc1.txt").path,
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--trust-list-key"))
    }

    /// The image and its zbar text give the same verdict line: one code only (the spurious I2/5
    /// symbol is not reported). The byte-exact string check is in CodeScanningTests.
    @Test func macedonianSampleImageMatchesItsText() throws {
        let base = [
            "verify", "--trust", TestCorpus.url("trustlists/de-test").path,
            "--trust-list-key", TestCorpus.url("trustlists/de-test/dsc-list-signing-key.pem").path,
            "--at", "2022-02-01T12:00:00Z", "--json",
        ]
        let image = try GateCheckCLI.run(base + [TestCorpus.url("samples/mk-test-spurious-i25.png").path])
        let text = try GateCheckCLI.run(base + [TestCorpus.url("samples/mk-test-spurious-i25.hc1.txt").path])
        #expect(image.jsonObjects.count == 1)
        let fromImage = try #require(image.jsonObjects.first)
        let fromText = try #require(text.jsonObjects.first)
        #expect((fromImage["steps"] as? [String: String]) == (fromText["steps"] as? [String: String]))
        #expect(fromImage["kid"] as? String == "tIXJTzNgFXY=")
        #expect(fromImage["kid"] as? String == fromText["kid"] as? String)
        // Its DSC is RSA-1024, below the PS256 floor of 2048 bits: refused on purpose.
        #expect(fromImage["reason"] as? String == "key-algorithm-mismatch")
    }
}
