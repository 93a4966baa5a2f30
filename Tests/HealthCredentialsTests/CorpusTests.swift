import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import GateCheckCrypto
import HealthCredentials
import Testing
import TrustSources

/// The real German DSC lists and real credentials from the shared corpus (read in place, skipped when absent).
@Suite("Corpus: German DSC lists and real credentials", .enabled(if: TestCorpus.isAvailable))
struct CorpusTests {
    /// The de-test list's signer with the VN test DSC.
    static let vietnamKid = Array(Data(base64Encoded: "8w2kZxb3iC0=")!)
    static let macedoniaKid = Array(Data(base64Encoded: "tIXJTzNgFXY=")!)

    static func key(_ relativePath: String) throws -> PublicKey {
        try TrustLoader.publicKey(fromPEMFile: TestCorpus.path(relativePath))
    }

    static func deTestTrust() throws -> TrustList {
        try TrustLoader(listKey: key(TestCorpus.deTestKey)).load(paths: [TestCorpus.path(TestCorpus.deTestList)]).trustList
    }

    static func sample(_ name: String) throws -> String {
        var text = String(decoding: try TestCorpus.bytes("samples/\(name)"), as: UTF8.self)
        while text.last == "\n" || text.last == "\r\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    @Test("de-test loads with its own key: more than 600 DSCs, including the VN test DSC")
    func deTestLoads() throws {
        let bytes = try TestCorpus.bytes(TestCorpus.deTestList)
        #expect(GermanDSCList.looksLikeList(bytes))
        let signers = try GermanDSCList.signers(from: bytes, check: .verify(try Self.key(TestCorpus.deTestKey)))
        #expect(signers.count > 600)
        let vietnam = signers.filter { $0.kid == Self.vietnamKid }
        #expect(vietnam.count == 1)
        #expect(vietnam.first?.country == "VN")
        // The list's kids follow the DCC rule for this DSC.
        if let signer = vietnam.first { #expect(DocumentSigner.kid(for: signer.certificate) == Self.vietnamKid) }

        let trust = try Self.deTestTrust()
        #expect(trust.count > 600)
        #expect(!trust.signers(forKid: Self.vietnamKid).isEmpty)
    }

    @Test("de-test with the de-prod key is refused")
    func wrongKey() throws {
        let bytes = try TestCorpus.bytes(TestCorpus.deTestList)
        expectCode(.trustListSignatureInvalid) { try GermanDSCList.signers(from: bytes, check: .verify(try! Self.key(TestCorpus.deProdKey))) }
        TrustLoaderTests.expectLoadError(.listRefused, loader: TrustLoader(listKey: try Self.key(TestCorpus.deProdKey)), paths: [TestCorpus.path(TestCorpus.deTestList)])
    }

    @Test("de-test without a key is refused, and loads only when unverified lists are allowed")
    func noKey() throws {
        TrustLoaderTests.expectLoadError(.listRefused, paths: [TestCorpus.path(TestCorpus.deTestList)])
        let unverified = try TrustLoader(allowsUnverifiedLists: true).load(paths: [TestCorpus.path(TestCorpus.deTestList)])
        #expect(unverified.trustList.count > 600)
    }

    @Test("the de-test folder loads with its key and skips the key file")
    func folder() throws {
        let folder = TestCorpus.path("trustlists/de-test")
        let result = try TrustLoader(listKey: try Self.key(TestCorpus.deTestKey)).load(paths: [folder])
        #expect(result.trustList.count > 600)
        #expect(result.skipped.map { ($0 as NSString).lastPathComponent } == ["dsc-list-signing-key.pem"])
    }

    @Test("a one-byte change in the body is refused")
    func oneByteChange() throws {
        let bytes = try TestCorpus.bytes(TestCorpus.deTestList)
        let key = try Self.key(TestCorpus.deTestKey)
        // The country of the first entry: a change that keeps valid JSON and base64.
        let pattern = Array("\"country\": \"".utf8)
        guard let marker = firstIndex(of: pattern, in: bytes) else {
            Issue.record("no country field in the list")
            return
        }
        var tampered = bytes
        let index = marker + pattern.count
        tampered[index] = tampered[index] == UInt8(ascii: "Z") ? UInt8(ascii: "Y") : UInt8(ascii: "Z")
        #expect(throws: Never.self) { try GermanDSCList.signers(from: tampered, check: .skipExplicitlyUnverified) }
        expectCode(.trustListSignatureInvalid) { try GermanDSCList.signers(from: tampered, check: .verify(key)) }
        // The last byte too.
        var lastByte = bytes
        lastByte[lastByte.count - 1] ^= 0x20
        expectCode(.trustListSignatureInvalid) { try GermanDSCList.signers(from: lastByte, check: .verify(key)) }

        let folder = try TemporaryDirectory()
        let path = try folder.write("dsc-list.json", tampered)
        TrustLoaderTests.expectLoadError(.listRefused, loader: TrustLoader(listKey: key), paths: [path])
    }

    @Test("the Vietnamese sample verifies with de-test at 2022-06-01: PS256, type v, issuer VN")
    func vietnam() throws {
        let payload = try Self.sample("vn-vaccination.hc1.txt")
        #expect(payload.hasPrefix("HC1:"))
        let message = try COSESign1(decoding: try HC1Encoding.coseBytes(fromPayload: Array(payload.utf8)))
        #expect(message.algorithm == .ps256)
        #expect(message.kid == Self.vietnamKid)

        let verifier = HC1Verifier(trustList: try Self.deTestTrust())
        let report = verifier.verify(payload: payload, in: VerificationContext(now: utc(2022, 6, 1)))
        #expect(report.outcome(of: .signature) == .ok)
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.type == .vaccination)
        #expect(report.issuer == "VN")
        #expect(report.kid == Self.vietnamKid)
        #expect(report.signerCountry == "VN")

        // After the DSC's notAfter (2024-04-12) the signer is expired; after exp (2025-01-30) the token too.
        let late = verifier.verify(payload: payload, in: VerificationContext(now: utc(2024, 6, 1)))
        #expect(late.outcome(of: .signature) == .ok)
        #expect(late.outcome(of: .signerValidity).error?.code == .signerExpired)
        #expect(late.verdict == .fail)
        let expired = verifier.verify(payload: payload, in: VerificationContext(now: utc(2025, 2, 1)))
        #expect(expired.outcome(of: .tokenValidity).error?.code == .expired)
        // Before iat (2022-04-14T15:38Z).
        let early = verifier.verify(payload: payload, in: VerificationContext(now: utc(2022, 4, 14, 12)))
        #expect(early.outcome(of: .tokenValidity).error?.code == .issuedInFuture)
    }

    @Test("the Vietnamese sample is refused by a trust list without its signer")
    func vietnamWithoutSigner() throws {
        let payload = try Self.sample("vn-vaccination.hc1.txt")
        let report = HC1Verifier(trustList: .empty).verify(payload: payload, in: VerificationContext(now: utc(2022, 6, 1)))
        #expect(report.outcome(of: .signature).error?.code == .unknownSigner)
        #expect(report.verdict == .fail)
    }

    @Test("the Macedonian test sample is signed with RSA-1024, below the PS256 minimum, and fails")
    func macedonia() throws {
        // The corpus README calls it valid upstream; the project's algorithm policy (PS256 = RSA ≥ 2048) refuses it.
        let payload = try Self.sample("mk-test-spurious-i25.hc1.txt")
        let trust = try Self.deTestTrust()
        let signer = try #require(trust.signers(forKid: Self.macedoniaKid).first)
        #expect(signer.publicKey.kind == .rsa(bits: 1024))
        let message = try COSESign1(decoding: try HC1Encoding.coseBytes(fromPayload: Array(payload.utf8)))
        #expect(message.algorithm == .ps256)
        let report = HC1Verifier(trustList: trust).verify(payload: payload, in: VerificationContext(now: utc(2022, 2, 1, 12)))
        #expect(report.outcome(of: .signature).error?.code == .keyAlgorithmMismatch)
        #expect(report.verdict == .fail)
        #expect(report.kid == Self.macedoniaKid)
        #expect(report.type == .test)
        #expect(report.outcome(of: .schema) == .ok)
        #expect(report.outcome(of: .tokenValidity) == .ok)
    }
}
