import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing
import TrustSources

/// The WHO GDHCN DEV trust list and the two corpus DVCs (`gdhcn/`, see its README).
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct WHOCorpusTests {
    static let listPath = "gdhcn/trustlist-dev-did.json"

    static func list() throws -> GDHCNTrustList.Contents {
        try GDHCNTrustList.read(TestCorpus.bytes(listPath), path: listPath)
    }

    /// The keys the document publishes (its verificationMethods that are objects, not DID references).
    static func publishedKeys() throws -> [JSONValue] {
        let document = try JSONParser.parse(TestCorpus.bytes(listPath), limits: JSONLimits(maxBytes: 32 << 20, maxDepth: 16, maxItems: 4_000_000, maxStringLength: 64 << 10))
        return (document["verificationMethod"]?.array ?? []).filter { $0.object != nil }
    }

    @Test func theListIsRecognisedAndEveryKeyIsAccountedFor() throws {
        let bytes = try TestCorpus.bytes(Self.listPath)
        #expect(GDHCNTrustList.looksLike(bytes))
        #expect(!GDHCNTrustList.looksLike(try TestCorpus.bytes("nzcp/trust/did_nzcp.identity.health.nz.json")))
        let contents = try Self.list()
        let keys = try Self.publishedKeys()
        let skippedKeys = contents.skipped.filter { $0.reason != "a reference, not a key" }
        #expect(contents.signers.count + skippedKeys.count == keys.count)
        // Every key left out is one whose published kid is not its certificate's (checked here independently).
        for skipped in skippedKeys {
            #expect(skipped.reason == "the published kid is not the certificate's", "\(skipped)")
        }
        let mismatched = keys.filter { key in
            guard let id = key["id"]?.string, let kid = id.split(separator: "#").last, let leaf = key["publicKeyJwk"]?["x5c"]?.array?.first?.string,
                let der = Data(base64Encoded: leaf), let certificate = try? Certificate(derEncoded: Array(der))
            else { return true }
            return Data(DocumentSigner.kid(for: certificate)).base64EncodedString() != String(kid)
        }
        #expect(mismatched.count == skippedKeys.count)
        #expect(contents.signers.count > keys.count * 9 / 10)
        print("GDHCN DEV list: \(keys.count) keys, \(contents.signers.count) loaded, \(skippedKeys.count) left out: \(skippedKeys.map(\.entry)); \(contents.skipped.count - skippedKeys.count) DID references")
    }

    /// A clock inside the DVCs' signer's validity: its last day (the DVCs were issued in 2024-09, after its first).
    static func clock(for payload: String, in list: TrustList) throws -> (VerificationContext, DocumentSigner) {
        let cose = try HC1Encoding.coseBytes(fromPayload: Array(payload.utf8))
        let kid = try COSESign1(decoding: cose).kid
        let signer = try #require(list.signers(forKid: kid).first)
        return (VerificationContext(now: signer.notAfter.addingTimeInterval(-86_400)), signer)
    }

    @Test func theValidDVCVerifiesAgainstTheList() throws {
        let list = TrustList(try Self.list().signers)
        let payload = try TestCorpus.text("gdhcn/dvc-valid-xcl.hc1.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let (context, signer) = try Self.clock(for: payload, in: list)
        #expect(signer.notBefore < context.now)
        let report = HC1Verifier(trustList: list).verify(payload: payload, in: context)
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.profile == .whoDVC)
        #expect(report.type == .vaccination)
        #expect(report.signerCountry == "XL")
        // Without the GDHCN list its signer is unknown.
        #expect(HC1Verifier(trustList: .empty).verify(payload: payload, in: context).failure?.code == .unknownSigner)
    }

    @Test func theTamperedDVCFailsWithBadSignature() throws {
        let list = TrustList(try Self.list().signers)
        let payload = try TestCorpus.text("gdhcn/dvc-bad-signature-xl.hc1.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let (context, _) = try Self.clock(for: payload, in: list)
        let report = HC1Verifier(trustList: list).verify(payload: payload, in: context)
        #expect(report.verdict == .fail)
        #expect(report.failure?.code == .badSignature)
        #expect(report.profile == .whoDVC)
    }
}
