import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import JSON
import NZCovidPass
import Testing
import TrustSources

enum Issuers {
    static let nzcp = try! NZCPTestIssuer()
    static let other = try! NZCPTestIssuer()
}

@Suite("NZCP verifier") struct NZCPVerifierTests {
    let issuer = Issuers.nzcp
    var verifier: NZCPVerifier { NZCPVerifier(issuers: issuer.issuers) }
    let context = VerificationContext(now: NZCPTestIssuer.validAt)

    func verify(_ payload: String) -> VerificationReport {
        verifier.verify(payload: Array(payload.utf8), in: context)
    }

    @Test("a pass made in code verifies, through the dispatcher too")
    func passVerifies() throws {
        let payload = try issuer.pass()
        let report = verify(payload)
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.format == .nzcp)
        #expect(report.profile == nil)
        #expect(report.checkedSteps == [.trust, .decode, .signature, .tokenValidity, .schema])
        #expect(report.issuer == issuer.did)
        #expect(report.kid == Array("key-1".utf8))
        #expect(report.holder?.givenName == "Test")
        #expect(report.type == nil)
        let dispatched = CredentialVerifier([verifier]).verify(payload: payload, in: context)
        #expect(dispatched.verdict == .pass)
    }

    @Test("unknown issuer, unknown kid, wrong key, corrupted signature")
    func signatureStep() throws {
        #expect(verify(try issuer.pass(issuer.claims(issuer: "did:web:example.com"))).failure?.code == .unknownIssuer)
        #expect(verify(try issuer.pass(issuer.claims(issuer: "https://example.com"))).failure?.code == .unknownIssuer)
        #expect(verify(try issuer.pass(kid: "key-2")).failure?.code == .unknownSigner)
        #expect(verify(try issuer.pass(corruptSignature: true)).failure?.code == .badSignature)
        let forged = try Issuers.other.pass(Issuers.other.claims(issuer: issuer.did))
        #expect(verify(forged).failure?.code == .badSignature)
    }

    @Test("a key the DID document does not list as an assertion method may not sign")
    func assertionMethodOnly() throws {
        var document = try JSONParser.parse(issuer.didDocument)
        document = JSONValue.object(JSONObject((document.object ?? JSONObject()).filter { $0.name != "assertionMethod" }.map { ($0.name, $0.value) }))
        let bytes = JSONWriter.bytes(document)
        #expect(throws: TrustSourceError.self) { try DIDIssuerDocuments.read(bytes, path: "doc.json") }
        let keys = try DIDIssuerDocuments.read(issuer.didDocument, path: "doc.json")
        #expect(NZCPVerifier(issuers: keys).verify(payload: Array(try issuer.pass().utf8), in: context).verdict == .pass)
    }

    @Test("nbf and exp: not yet valid, expired, both required")
    func tokenValidity() throws {
        let late = VerificationContext(now: Date(timeIntervalSince1970: 2_000_000_000))
        #expect(verifier.verify(payload: Array(try issuer.pass().utf8), in: late).failure?.code == .expired)
        let early = VerificationContext(now: Date(timeIntervalSince1970: 1_600_000_000))
        #expect(verifier.verify(payload: Array(try issuer.pass().utf8), in: early).failure?.code == .notYetValid)
        #expect(verify(try issuer.pass(issuer.claims(notBefore: nil))).failure?.code == .notYetValid)
        #expect(verify(try issuer.pass(issuer.claims(expiresAt: nil))).failure?.code == .missingExpiry)
    }

    @Test("schema: cti of 16 bytes, PublicCovidPass type, givenName and dob; no personal data in details")
    func schema() throws {
        let cases: [CBORValue] = [
            issuer.claims(tokenID: [1, 2, 3]),
            issuer.claims(credential: NZCPTestIssuer.credential(type: "SomethingElse")),
            issuer.claims(credential: NZCPTestIssuer.credential(dob: "16/04/1960")),
            issuer.claims(credential: .text("not a map")),
        ]
        for claims in cases {
            let report = verify(try issuer.pass(claims))
            #expect(report.outcome(of: .schema).error?.code == .schemaViolation)
            #expect(report.outcome(of: .signature) == .ok)
            #expect(report.holder == nil)
            let detail = report.failure?.detail ?? ""
            #expect(!detail.contains("1990"))
        }
        // familyName is optional.
        #expect(verify(try issuer.pass(issuer.claims(credential: NZCPTestIssuer.credential(familyName: nil)))).verdict == .pass)
    }

    @Test("decoding: prefix, version, base32, tag 18, ES256, protected kid", arguments: [
        ("nzcp:/1/", CredentialError.Code.badPrefix), ("NZCP:/2/", .unsupportedVersion), ("NZCP:/1", .badPrefix), ("NZCP:/1/asdfgh", .badBase32),
        ("NZCP:/1/AAAAAAA1", .badBase32), ("NZCP:/1/A", .badBase32), ("NZCP:/1/AB", .badBase32), ("NZCP:/1/", .badCBOR),
    ])
    func decodeFailures(payload: String, code: CredentialError.Code) {
        let report = verify(payload)
        #expect(report.outcome(of: .decode).error?.code == code)
        #expect(report.verdict == .fail)
        #expect(report.checkedSteps == NZCPVerifier.checkedSteps)
    }

    @Test("the COSE envelope must be NZCP's: tagged 18, ES256, kid in the protected header")
    func envelope() throws {
        let cose = try issuer.cose(issuer.claims())
        // Untagged: drop the tag byte 0xD2.
        #expect(verify(NZCPTestIssuer.payload(cose: Array(cose.dropFirst()))).failure?.code == .badCOSE)
        // PS256 in the protected header.
        let claims = Array(issuer.claims().encodedBytes)
        let ps256 = Array(CBORValue.map([(.integer(1), .integer(-37)), (.integer(4), .bytes(Array("key-1".utf8)))]).encodedBytes)
        let message = CBORValue(.tagged(18, .array([.bytes(ps256), .map([]), .bytes(claims), .bytes([UInt8](repeating: 1, count: 64))])))
        #expect(verify(NZCPTestIssuer.payload(cose: Array(message.encodedBytes))).failure?.code == .unsupportedAlgorithm)
        // The kid only in the unprotected header.
        let noKid = Array(CBORValue.map([(.integer(1), .integer(-7))]).encodedBytes)
        let unprotectedKid = CBORValue(.tagged(18, .array([
            .bytes(noKid), .map([(.integer(4), .bytes(Array("key-1".utf8)))]), .bytes(claims), .bytes([UInt8](repeating: 1, count: 64)),
        ])))
        #expect(verify(NZCPTestIssuer.payload(cose: Array(unprotectedKid.encodedBytes))).failure?.code == .badKid)
    }

    @Test("base32 round-trips every length and refuses what RFC 4648 does not allow")
    func base32() throws {
        var random = SplitMix64(seed: 32)
        for length in 0..<64 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let text = Base32.encode(bytes)
            #expect(!text.contains("="))
            #expect(try Base32.decode(Array(text.utf8)) == bytes)
        }
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")  // RFC 4648 §10, unpadded
        #expect(throws: CredentialError.self) { try Base32.decode(Array("MZXW6YTBOI======".utf8)) }
        #expect(throws: CredentialError.self) { try Base32.decode(Array("mzxw6ytboi".utf8)) }
        #expect(throws: CredentialError.self) { try Base32.decode(Array("MZXW6YTBOJ".utf8)) }  // non-zero spare bits
    }

    @Test("the trust section round-trips, merges, and refuses anything but its canonical form")
    func trustSection() throws {
        let keys = issuer.issuers.merging(Issuers.other.issuers)
        #expect(keys.count == 2)
        #expect(keys.merging(issuer.issuers).count == 2)
        let bytes = keys.sectionBytes
        let copy = try DIDIssuerKeys(sectionBytes: bytes)
        #expect(copy.sectionBytes == bytes)
        #expect(copy.keys(issuer: issuer.did, kid: issuer.kid).count == 2)
        #expect(DIDIssuerKeys.empty.count == 0)
        #expect(try DIDIssuerKeys(sectionBytes: DIDIssuerKeys.empty.sectionBytes).count == 0)
        for bad in ["", "[]", "{}", #"{"issuers":[{"id":"x","keys":[]}]}"#, #"{"issuers":[],"extra":1}"#, " " + String(decoding: bytes, as: UTF8.self)] {
            #expect(throws: CredentialError.self) { try DIDIssuerKeys(sectionBytes: Array(bad.utf8)) }
        }
    }
}
