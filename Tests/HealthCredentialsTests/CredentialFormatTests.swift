import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// The dispatcher: every payload is recognised by its shape alone, and only its own format's verifier sees it.
@Suite("Credential formats")
struct CredentialFormatTests {
    @Test(arguments: [
        ("HC1:6BFOXN", CredentialFormat.hc1),
        ("shc:/5676290952432060346029243740", .shc),
        ("SHC:/5676", .shc),
        ("shc:5676", .shc),
        ("NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLBNR2GQLTOPICRU", .nzcp),
        (#"  {"data":{"hdr":{"t":"icao.vacc","v":1,"is":"AUS"},"msg":{}},"sig":{}}"#, .vdsNC),
        (#"{"data":{"hdr":{"t":"icao.test","v":1,"is":"UTO"}}}"#, .vdsNC),
        (#"{"data":{"hdr":{"t":"other","v":1}}}"#, .unknown),
        (#"{"data":{"hdr":{"t":1}}}"#, .unknown),
        (#"{"data":"#, .unknown),
        ("RDB1BNNDA", .icaoVDS),
        ("HC2:NOTAPAYLOAD", .unknown),
        ("hc1:6BFOXN", .unknown),
        ("", .unknown),
    ])
    func recognisesEachShape(payload: String, expected: CredentialFormat) {
        #expect(CredentialFormat(recognising: Array(payload.utf8)) == expected)
    }

    @Test func recognisesBinaryShapes() {
        #expect(CredentialFormat(recognising: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]) == .divoc)
        #expect(CredentialFormat(recognising: [0xDC, 0x03, 0x6A, 0x1C]) == .icaoVDS)
        #expect(CredentialFormat(recognising: [0x50, 0x4B, 0x05, 0x06]) == .unknown)
    }

    @Test func aSealLargerThanAnyQRCodeIsNotParsed() {
        let padding = String(repeating: " ", count: 9_000)
        let seal = #"{"data":{"hdr":{"t":"icao.vacc","v":1,"is":"AUS"}},"x":""# + padding + #""}"#
        #expect(CredentialFormat(recognising: Array(seal.utf8)) == .unknown)
    }

    @Test func unsupportedAndUnknownFormatsFailWithTheirFormat() throws {
        let verifier = CredentialVerifier([HC1Verifier(trustList: .empty)])
        let context = VerificationContext(now: TestCredential.validAt)
        for (payload, format) in [("PK\u{3}\u{4}rest", CredentialFormat.divoc), ("hello", .unknown), ("shc:/56", .shc)] {
            let report = verifier.verify(payload: payload, in: context)
            #expect(report.format == format)
            #expect(report.verdict == .fail)
            #expect(report.failure?.code == .unsupportedFormat)
            #expect(report.checkedSteps == [.trust, .decode])
            let line = try #require(JSONSerialization.jsonObject(with: Data(report.jsonLine(input: "-").utf8)) as? [String: Any])
            #expect(line["format"] as? String == format.rawValue)
            #expect((line["steps"] as? [String: String])?.keys.sorted() == ["decode", "trust"])
        }
    }

    @Test func aFormatThePolicyLeavesOutFailsBeforeDecoding() throws {
        let issuer = try TestIssuer()
        let payload = try issuer.hc1(TestCredential())
        let context = VerificationContext(now: TestCredential.validAt)
        let accepting = CredentialVerifier([HC1Verifier(trustList: issuer.trustList)])
        #expect(accepting.verify(payload: payload, in: context).verdict == .pass)
        #expect(accepting.verify(payload: payload, in: context).format == .hc1)

        let refusing = CredentialVerifier([HC1Verifier(trustList: issuer.trustList)], acceptedFormats: [.shc])
        let report = refusing.verify(payload: payload, in: context)
        #expect(report.verdict == .fail)
        #expect(report.failure?.code == .formatNotAccepted)
        #expect(report.outcome(of: .signature) == .skipped)
    }

    @Test func anHC1ProfileThePolicyLeavesOutFailsOnceItIsKnown() throws {
        let issuer = try TestIssuer()
        let dvc = try issuer.hc1(claims: WHOTestCredentials.dvc())
        let euDCC = try issuer.hc1(TestCredential())
        let context = VerificationContext(now: WHOTestCredentials.validAt)
        let euOnly = CredentialVerifier([HC1Verifier(trustList: issuer.trustList)], acceptedProfiles: [.euDCC])
        let refused = euOnly.verify(payload: dvc, in: context)
        #expect(refused.profile == .whoDVC)
        #expect(refused.verdict == .fail)
        #expect(refused.failure?.code == .formatNotAccepted)
        #expect(CredentialVerifier([HC1Verifier(trustList: issuer.trustList)]).verify(payload: dvc, in: context).verdict == .pass)
        let eu = euOnly.verify(payload: euDCC, in: VerificationContext(now: TestCredential.validAt))
        #expect(eu.verdict == .pass)
        #expect(eu.profile == .euDCC)
    }

    @Test func aStepOutsideTheFormatsStepsStillFailsTheVerdict() {
        let steps: [VerificationStep: StepOutcome] = [.trust: .ok, .decode: .ok, .signature: .ok, .content: .failed(CredentialError(.schemaViolation, "x"))]
        let report = VerificationReport(format: .shc, checkedSteps: [.trust, .decode, .signature], steps: steps)
        #expect(report.verdict == .fail)
        let clean = VerificationReport(format: .shc, checkedSteps: [.trust, .decode, .signature], steps: steps.filter { $0.key != .content })
        #expect(clean.verdict == .pass)
    }
}
