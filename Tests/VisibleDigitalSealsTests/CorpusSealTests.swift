import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing
import TrustSources
import VisibleDigitalSeals

/// Every `vdsnc_cases` entry of the corpus MANIFEST, at the clock the MANIFEST suggests (2021-10-01: inside the AU
/// CRL window, the AU signer and the UTO signers all valid), with the expected outcome read from its `expect`.
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct CorpusSealTests {
    static let clock = VerificationContext(now: Date(timeIntervalSince1970: 1_633_046_400))  // 2021-10-01T00:00Z

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let expect: String
        let type: String?
        var testDescription: String { file }
    }

    static func cases() throws -> [Case] {
        guard TestCorpus.isAvailable else { return [] }
        let manifest = try JSONParser.parse(try TestCorpus.bytes("vdsnc/MANIFEST.json"))
        return (manifest["vdsnc_cases"]?.array ?? []).compactMap { entry in
            guard let file = entry["file"]?.string, let expect = entry["expect"]?.string else { return nil }
            return Case(file: file, expect: expect, type: entry["type"]?.string)
        }
    }

    /// The AU CSCA (the one the MANIFEST names) and the AU CRL.
    static func australianTrust() throws -> ICAOTrust {
        try ICAOTrust(
            cscas: [try Certificate(derEncoded: try TestCorpus.bytes("vdsnc/apo-ios/ios_cscaCertData.der"))],
            crls: [try CertificateRevocationList(derEncoded: try TestCorpus.bytes("vdsnc/apo-ios/ios_crlData.crl"))])
    }

    /// The German master list (571 CSCAs, AU among them) and the AU CRL from the DFAT app.
    static let masterListTrust: ICAOTrust? = {
        guard TestCorpus.isAvailable,
            let list = try? CSCAMasterList.read(try TestCorpus.bytes("vdsnc/kurzdigital-vds-jvm/DE_ML_2025-08-14-07-41-09.ml"), path: "DE ML"),
            let crl = try? CSCAMasterList.read(try TestCorpus.bytes("vdsnc/dfat-app-assets/CRL_AUS.crl"), path: "CRL_AUS")
        else { return nil }
        return try? list.trust.merging(crl.trust)
    }()

    @Test func manifestHasTheTwelveEntries() throws {
        let cases = try Self.cases()
        #expect(cases.count == 12)
        #expect(cases.filter { $0.expect.hasPrefix("VALID") }.count == 4)
    }

    @Test(arguments: try cases())
    func caseGetsItsExpectedOutcome(_ entry: Case) throws {
        let path = "vdsnc/" + entry.file
        if entry.file.hasSuffix("jcs_canonicalization_cases.json") {
            try JCSCorpusCases.run(path)
            return
        }
        let payload = try TestCorpus.bytes(path)
        let masterList = try #require(Self.masterListTrust)
        for trust in [try Self.australianTrust(), masterList] {
            let verifier = CredentialVerifier([VDSNCVerifier(trust: trust)])
            let report = verifier.verify(payload: payload, in: Self.clock)
            if entry.expect.hasPrefix("NOT VDS-NC") {
                #expect(CredentialFormat(recognising: payload) == .unknown)
                #expect(report.format == .unknown)
                #expect(report.outcome(of: .decode).error?.code == CredentialError.Code.unsupportedFormat)
                continue
            }
            #expect(report.format == .vdsNC)
            let seal = try VDSNCSeal(payload: payload)
            #expect(seal.type.rawValue == entry.type)
            #expect(report.type == seal.type.certificateType)
            #expect(report.issuer == seal.issuingState)
            if entry.expect.hasPrefix("VALID") {
                #expect(report.verdict == .pass, "\(report.steps)")
                #expect(report.issuer == "AUS")
                #expect(report.signerCountry == "AU")
                #expect(report.holder?.dateOfBirth.isEmpty == false)
            } else if entry.expect.hasPrefix("SIGNATURE-ONLY") {
                // The seal is authentic under its own certificate, which chains to no CSCA we hold.
                #expect(seal.signatureError() == nil)
                #expect(report.verdict == .fail)
                #expect(report.outcome(of: .signature).error?.code == CredentialError.Code.untrustedSigner)
                #expect(report.outcome(of: .keyUsage) == .ok)
                #expect(report.outcome(of: .schema) == .ok)
            } else if entry.expect.hasPrefix("INVALID signature") {
                #expect(seal.signatureError()?.code == CredentialError.Code.badSignature)
                #expect(report.verdict == .fail)
                #expect(report.failure?.code == CredentialError.Code.badSignature)
                #expect(report.outcome(of: .revocation) == .ok)
            } else {
                Issue.record("unknown expectation \(entry.expect)")
            }
        }
    }

    /// The AU CRL is past its nextUpdate (2021-11-17) at later clocks; it is still used, and the seal still
    /// verifies while its signer and CSCA are valid.
    @Test func staleAustralianCRLIsStillUsed() throws {
        let payload = try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json")
        let later = VerificationContext(now: Date(timeIntervalSince1970: 1_700_000_000))  // 2023-11-14
        let report = VDSNCVerifier(trust: try Self.australianTrust()).verify(payload: payload, in: later)
        #expect(report.verdict == .pass, "\(report.steps)")
    }

    /// The AU signer starts 2021-08-31: a month earlier the path exists but the signer is not yet valid.
    @Test func australianSealBeforeItsSignerIsNotYetValid() throws {
        let payload = try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json")
        let earlier = VerificationContext(now: Date(timeIntervalSince1970: 1_627_776_000))  // 2021-08-01
        let report = VDSNCVerifier(trust: try Self.australianTrust()).verify(payload: payload, in: earlier)
        #expect(report.outcome(of: .signature) == .ok, "\(report.outcome(of: .signature).error?.detail ?? "")")
        #expect(report.outcome(of: .signerValidity).error?.code == CredentialError.Code.signerNotYetValid)
        #expect(report.verdict == .fail)
    }

    @Test func australianSignerHasTheCriticalSealEKUAndListsNV() throws {
        let seal = try VDSNCSeal(payload: try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json"))
        let eku = seal.signerCertificate.extensions(withOID: "2.5.29.37")
        #expect(eku.count == 1 && eku.first?.isCritical == true)
        #expect(seal.signerCertificate.extendedKeyUsageOIDs == [VDSNCVerifier.sealSigningEKU])
        // Its Document Type List, read from the certificate: version 0, { "NV" } (proof of vaccination).
        let list = seal.signerCertificate.extensions(withOID: VDSNCVerifier.documentTypeListOID)
        #expect(list.count == 1)
        #expect(list.first?.value == [0x30, 0x09, 0x02, 0x01, 0x00, 0x31, 0x04, 0x13, 0x02, 0x4E, 0x56])
        // The UTO signer of the icao.test sample lists NT.
        let testSeal = try VDSNCSeal(payload: try TestCorpus.bytes("vdsnc/kurzdigital-vds-jvm/vdsnc_sample_proof_of_test"))
        let testList = testSeal.signerCertificate.extensions(withOID: VDSNCVerifier.documentTypeListOID)
        #expect(testList.first.map { Array($0.value.suffix(2)) } == Array("NT".utf8))
    }

    @Test func pinnedCSCAHashMatches() throws {
        let der = try TestCorpus.bytes("vdsnc/apo-ios/ios_cscaCertData.der")
        let pin = try TestCorpus.text("vdsnc/apo-ios/ios_cscaCertSHA256Hash.txt").lowercased().filter(\.isHexDigit)
        #expect(try Certificate(derEncoded: der).sha256Fingerprint.map { String(format: "%02x", $0) }.joined() == pin)
    }
}

/// The 9 RFC 8785 cases of the APO iOS reader. Two inputs carry a trailing comma, which Apple's
/// JSONSerialization tolerates and RFC 8259 does not: our parser refuses them as written, and they are
/// canonicalised with the comma removed.
///
/// One expectation departs from RFC 8785: `testSortingStrings` places U+FB33 before U+20AC (Swift's String order,
/// which compares the NFD form 05D3 05BC), where the RFC (§3.2.3, the same example) orders by UTF-16 code units:
/// U+20AC, then U+1F600 (D83D DE00), then U+FB33. For that case the test asks for the RFC's order, the same
/// members and values, and checks that the corpus's order is the one a UTF-16 sort would not give.
enum JCSCorpusCases {
    static func run(_ path: String) throws {
        let cases = try JSONParser.parse(try TestCorpus.bytes(path)).array ?? []
        #expect(cases.count == 9)
        var errors = 0
        var trailingCommas = 0
        for entry in cases {
            let name = entry["test"]?.string ?? "?"
            var input = Array((entry["input"]?.string ?? "").utf8)
            if let comma = trailingCommaBeforeClosingBrace(input) {
                trailingCommas += 1
                #expect(throws: JSONError.self, "\(name): strict JSON refuses the trailing comma") { try JSONParser.parse(input) }
                input.remove(at: comma)
            }
            if entry["expect_error"]?.bool == true {
                errors += 1
                #expect(throws: JSONError.self, "\(name)") { try JSONCanonicalForm.bytes(parsing: input) }
            } else {
                let output = try JSONCanonicalForm.bytes(parsing: input)
                let expected = entry["expected"]?.string ?? ""
                if name == "testSortingStrings" {
                    let ours = try #require(try JSONParser.parse(output).object)
                    let theirs = try #require(try JSONParser.parse(expected).object)
                    #expect(ours == theirs, "same members and values")
                    #expect(ours.names == theirs.sortedByUTF16.names, "RFC 8785 order")
                    #expect(ours.names != theirs.names, "the corpus order is not the UTF-16 order")
                } else {
                    #expect(String(decoding: output, as: UTF8.self) == expected, "\(name)")
                }
            }
        }
        #expect(errors == 1)
        #expect(trailingCommas == 2)
    }

    private static func trailingCommaBeforeClosingBrace(_ bytes: [UInt8]) -> Int? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return nil }
        let before = bytes[..<close].lastIndex { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        return before.flatMap { bytes[$0] == UInt8(ascii: ",") ? $0 : nil }
    }
}

extension JSONObject {
    /// The members re-ordered by UTF-16 code units of their names.
    fileprivate var sortedByUTF16: JSONObject {
        let order = names.indices.sorted { names[$0].utf16.lexicographicallyPrecedes(names[$1].utf16) }
        return JSONObject(order.map { (names[$0], values[$0]) })
    }
}
