import CBOR
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import Zlib

/// End-to-end verification of HC1 payloads made by the test issuer.
@Suite("HC1Verifier")
struct HC1VerifierTests {
    static let context = VerificationContext(now: TestCredential.validAt)

    static func verify(_ payload: String, trust: TrustList, at context: VerificationContext = context) -> VerificationReport {
        HC1Verifier(trustList: trust).verify(payload: payload, in: context)
    }

    static func outcome(_ report: VerificationReport, _ step: VerificationStep) -> String {
        report.outcome(of: step).description
    }

    @Test("ES256 and PS256 credentials of every type pass", arguments: [COSEAlgorithm.es256, .ps256], CertificateType.allCases)
    func passes(algorithm: COSEAlgorithm, type: CertificateType) throws {
        let issuer = Issuers.issuer(algorithm)
        let report = Self.verify(try issuer.hc1(TestCredential(type: type)), trust: issuer.trustList)
        #expect(report.verdict == .pass)
        for step in VerificationStep.allCases {
            // Without admission rules configured, the rules step is skipped and a pass means authentic.
            #expect(Self.outcome(report, step) == (step == .rules ? "skipped" : "ok"), "\(step)")
        }
        #expect(report.failure == nil)
        #expect(report.kid == issuer.kid)
        #expect(report.issuer == "XX")
        #expect(report.type == type)
        #expect(report.signerCountry == "XX")
        #expect(report.holder?.familyNameTransliterated == HolderData.familyNameTransliterated)
    }

    @Test("the bytes overload and the String overload agree")
    func bytesOverload() throws {
        let payload = try Issuers.es256.hc1(TestCredential())
        let report = HC1Verifier(trustList: Issuers.es256.trustList).verify(payload: Array(payload.utf8), in: Self.context)
        #expect(report.verdict == .pass)
    }

    @Test("a kid only in the unprotected header passes")
    func unprotectedKid() throws {
        let report = Self.verify(try Issuers.es256.hc1(TestCredential(), kidPlacement: .unprotected), trust: Issuers.es256.trustList)
        #expect(report.verdict == .pass)
    }

    @Test("an unknown signer fails with unknown-signer; signer-dependent steps are skipped")
    func unknownSigner() throws {
        let report = Self.verify(try Issuers.es256.hc1(TestCredential()), trust: Issuers.otherES256.trustList)
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:unknown-signer")
        #expect(report.failure?.code == .unknownSigner)
        #expect(Self.outcome(report, .keyUsage) == "skipped")
        #expect(Self.outcome(report, .signerValidity) == "skipped")
        #expect(Self.outcome(report, .schema) == "ok")
        #expect(report.kid == Issuers.es256.kid)
        #expect(report.signerCountry == nil)
        // An empty trust list too.
        #expect(Self.outcome(Self.verify(try Issuers.es256.hc1(TestCredential()), trust: .empty), .signature) == "failed:unknown-signer")
    }

    @Test("a corrupted signature fails with bad-signature", arguments: [COSEAlgorithm.es256, .ps256])
    func corruptedSignature(algorithm: COSEAlgorithm) throws {
        let issuer = Issuers.issuer(algorithm)
        let report = Self.verify(try issuer.hc1(TestCredential(), corruptSignature: true), trust: issuer.trustList)
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:bad-signature")
    }

    @Test("a payload changed after signing fails with bad-signature")
    func tamperedPayload() throws {
        let issuer = Issuers.es256
        let parts = try coseParts(try issuer.coseSign1(claims: TestCredential().claims))
        var later = TestCredential()
        later.expiresAt = utc(2040, 1, 1)
        let forged = coseMessage([parts[0], parts[1], .bytes(Array(later.claims.encodedBytes)), parts[3]])
        let report = HC1Verifier(trustList: issuer.trustList).verify(coseBytes: forged, in: VerificationContext(now: utc(2030, 1, 1)))
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:bad-signature")
    }

    @Test("a kid moved to another signer's kid fails")
    func kidSwap() throws {
        // Protected kid of another trusted signer: the signature does not verify with that signer's key.
        let payload = try Issuers.es256.hc1(TestCredential(), kidPlacement: .protectedOverride(Issuers.otherES256.kid))
        let trust = Issuers.es256.trustList.merging(Issuers.otherES256.trustList)
        let report = Self.verify(payload, trust: trust)
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:bad-signature")
    }

    @Test("signatures of the wrong length fail as malformed-signature, without crashing", arguments: [0, 1, 63, 65, 96, 128, 4096])
    func malformedSignature(length: Int) throws {
        let issuer = Issuers.es256
        let parts = try coseParts(try issuer.coseSign1(claims: TestCredential().claims))
        let bytes = coseMessage([parts[0], parts[1], parts[2], .bytes([UInt8](repeating: 0x5A, count: length))])
        let report = HC1Verifier(trustList: issuer.trustList).verify(coseBytes: bytes, in: Self.context)
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:malformed-signature")
    }

    @Test("a PS256 message whose kid maps to an EC key fails with key-algorithm-mismatch, and vice versa")
    func keyAlgorithmMismatch() throws {
        let psPayload = try Issuers.ps256.hc1(TestCredential())
        let ecUnderPSKid = TrustList([DocumentSigner(certificate: Issuers.es256.certificate, kid: Issuers.ps256.kid)])
        let report = Self.verify(psPayload, trust: ecUnderPSKid)
        #expect(report.verdict == .fail)
        #expect(Self.outcome(report, .signature) == "failed:key-algorithm-mismatch")

        let esPayload = try Issuers.es256.hc1(TestCredential())
        let rsaUnderESKid = TrustList([DocumentSigner(certificate: Issuers.ps256.certificate, kid: Issuers.es256.kid)])
        #expect(Self.outcome(Self.verify(esPayload, trust: rsaUnderESKid), .signature) == "failed:key-algorithm-mismatch")
    }

    @Test("every signer under a kid is tried: a wrong one first does not hide the right one")
    func allSignersTried() throws {
        let right = Issuers.es256
        let payload = try right.hc1(TestCredential())
        let wrongEC = DocumentSigner(certificate: Issuers.otherES256.certificate, kid: right.kid)
        let wrongRSA = DocumentSigner(certificate: Issuers.ps256.certificate, kid: right.kid)
        for signers in [[wrongEC, right.signer], [wrongRSA, right.signer], [wrongRSA, wrongEC, right.signer], [right.signer, wrongEC]] {
            let trust = TrustList(signers)
            try #require(trust.signers(forKid: right.kid).count == signers.count)
            let report = Self.verify(payload, trust: trust)
            #expect(report.verdict == .pass)
            #expect(Self.outcome(report, .signature) == "ok")
            // The signer that verified is the one reported (the wrong EC signer is filed under YY).
            #expect(report.signerCountry == "XX")
        }
        // Only wrong signers under the kid: a failed signature, not a pass.
        #expect(Self.outcome(Self.verify(payload, trust: TrustList([wrongEC])), .signature) == "failed:bad-signature")
        #expect(Self.verify(payload, trust: TrustList([wrongRSA, wrongEC])).verdict == .fail)
    }

    @Test("policy failures reach the report")
    func policyFailures() throws {
        let issuer = Issuers.es256
        // Signer expired (TestIssuer default notAfter is 2033-05-18).
        let late = Self.verify(try issuer.hc1(TestCredential()), trust: issuer.trustList, at: VerificationContext(now: utc(2034, 1, 1)))
        #expect(Self.outcome(late, .signerValidity) == "failed:signer-expired")
        #expect(Self.outcome(late, .tokenValidity) == "failed:expired")
        #expect(late.verdict == .fail)
        // Issued in the future.
        let early = Self.verify(try issuer.hc1(TestCredential()), trust: issuer.trustList, at: VerificationContext(now: utc(2022, 1, 1)))
        #expect(Self.outcome(early, .tokenValidity) == "failed:issued-in-future")
        #expect(early.verdict == .fail)
        // Schema failure skips the content step; the type still comes from the payload key.
        var badSchema = TestCredential(type: .test)
        badSchema.payload = badSchema.payload.setting("ver", to: .text("2.0.0"))
        let schema = Self.verify(try issuer.hc1(badSchema), trust: issuer.trustList)
        #expect(Self.outcome(schema, .schema) == "failed:unsupported-version")
        #expect(Self.outcome(schema, .content) == "skipped")
        #expect(schema.type == .test)
        #expect(schema.holder == nil)
        #expect(schema.verdict == .fail)
        // A positive test.
        let entry = TestCredential.defaultEntry(.test).map { $0.0 == "tr" ? ($0.0, CBORValue.text("260373001")) : $0 }
        let positive = Self.verify(try issuer.hc1(TestCredential(payload: TestCredential.payload(type: .test, entry: entry))), trust: issuer.trustList)
        #expect(Self.outcome(positive, .content) == "failed:test-detected")
        #expect(positive.failure?.code == .testDetected)
        #expect(positive.verdict == .fail)
    }

    @Test("a key-usage mismatch fails the verdict")
    func keyUsageMismatch() throws {
        let issuer = try TestIssuer(algorithm: .es256, keyUsage: [.test])
        let report = Self.verify(try issuer.hc1(TestCredential(type: .vaccination)), trust: issuer.trustList)
        #expect(Self.outcome(report, .keyUsage) == "failed:key-usage-mismatch")
        #expect(report.verdict == .fail)
        #expect(Self.verify(try issuer.hc1(TestCredential(type: .test)), trust: issuer.trustList).verdict == .pass)
    }

    @Test("decode failures skip every step but trust and fail")
    func decodeFailure() throws {
        for (payload, code) in [("HC2:ABC", "bad-prefix"), ("HC1:bb8", "bad-base45"), ("HC1:" + Base45.encode([0xD2, 0x84]), "not-compressed")] {
            let report = Self.verify(payload, trust: Issuers.es256.trustList)
            #expect(report.verdict == .fail)
            #expect(Self.outcome(report, .decode) == "failed:\(code)")
            #expect(report.failure?.code.description == code)
            for step in VerificationStep.allCases where step != .decode && step != .trust {
                #expect(Self.outcome(report, step) == "skipped")
            }
            #expect(Self.outcome(report, .trust) == "ok")
            #expect(report.kid == nil && report.issuer == nil && report.type == nil && report.holder == nil)
        }
    }

    @Test("flipping any single bit of a signed message never passes")
    func bitFlips() throws {
        let issuer = Issuers.es256
        let cose = try issuer.coseSign1(claims: TestCredential().claims)
        let verifier = HC1Verifier(trustList: issuer.trustList)
        try #require(verifier.verify(coseBytes: cose, in: Self.context).verdict == .pass)
        for index in cose.indices {
            for bit in [index % 8, (index + 3) % 8] {
                var mutated = cose
                mutated[index] ^= 1 << UInt8(bit)
                let report = verifier.verify(coseBytes: mutated, in: Self.context)
                #expect(report.verdict == .fail, "bit \(bit) of byte \(index)")
            }
        }
    }

    @Test("every truncation of a valid payload fails without crashing")
    func truncations() throws {
        let payload = try Issuers.es256.hc1(TestCredential())
        let verifier = HC1Verifier(trustList: Issuers.es256.trustList)
        let bytes = Array(payload.utf8)
        for length in 0..<bytes.count {
            #expect(verifier.verify(payload: Array(bytes.prefix(length)), in: Self.context).verdict == .fail, "length \(length)")
        }
    }

    @Test("the COSE tag forms verify alike", arguments: [TestIssuer.Tagging.untagged, .tag18, .cwtAndTag18])
    func tagForms(tagging: TestIssuer.Tagging) throws {
        let issuer = Issuers.es256
        let cose = try issuer.coseSign1(claims: TestCredential().claims, tagging: tagging)
        let payload = HC1Encoding.prefix + Base45.encode(Deflate.zlib(cose))
        #expect(Self.verify(payload, trust: issuer.trustList).verdict == .pass)
    }
}
