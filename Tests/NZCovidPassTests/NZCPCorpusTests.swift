import Foundation
import HealthCredentials
import HealthCredentialsTesting
import JSON
import NZCovidPass
import Testing
import TrustSources

/// The NZCP spec examples (`nzcp/MANIFEST.json`), each with the outcome its manifest entry describes, at the spec's
/// clock (2021-11-26: the "not active" example became active on 2026-11-02).
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct NZCPCorpusTests {
    static let clock = VerificationContext(now: Date(timeIntervalSince1970: 1_637_884_800))  // 2021-11-26

    struct Case: CustomStringConvertible {
        let description: String
        let payload: String
        /// nil: a pass.
        let expected: CredentialError.Code?
        /// The step whose failure the manifest describes.
        let step: VerificationStep?
    }

    /// The manifest's trust: the spec's example issuer and the production issuer.
    static func issuers() throws -> DIDIssuerKeys {
        let manifest = try JSONParser.parse(TestCorpus.bytes("nzcp/MANIFEST.json"))
        var keys = DIDIssuerKeys.empty
        for value in manifest["trust"]?.object?.values ?? [] {
            // "did:web:… -> <path> (…)"
            let text = try #require(value.string)
            let path = try #require(text.components(separatedBy: "-> ").last?.components(separatedBy: " ").first)
            keys = keys.merging(try DIDIssuerDocuments.read(TestCorpus.bytes("nzcp/" + path), path: path))
        }
        return keys
    }

    /// The manifest's expectation in reason codes. The wording is the manifest's own.
    static func expectation(_ text: String) -> (CredentialError.Code?, VerificationStep?)? {
        if text.hasPrefix("VALID") { return (nil, nil) }
        if text.contains("key not found") { return (.unknownSigner, .signature) }
        if text.contains("FAIL signature") { return (.badSignature, .signature) }
        if text.hasPrefix("EXPIRED") { return (.expired, .tokenValidity) }
        if text.hasPrefix("NOT ACTIVE") { return (.notYetValid, .tokenValidity) }
        if text.contains("not trusted") { return (.unknownIssuer, .signature) }
        if text.contains("FAIL decode") { return (.badBase32, .decode) }
        return nil
    }

    static func cases() throws -> [Case] {
        let manifest = try JSONParser.parse(TestCorpus.bytes("nzcp/MANIFEST.json"))
        var cases: [Case] = []
        for entry in manifest["cases"]?.array ?? [] {
            let file = try #require(entry["file"]?.string)
            let expect = try #require(entry["expect"]?.string)
            let (code, step) = try #require(expectation(expect), "unrecognised expectation \(expect)")
            let payload: String
            if file.hasPrefix("(") {
                // A described input: the quoted text, without its "..." ellipsis.
                let quoted = try #require(file.split(separator: "'").dropFirst().first)
                payload = String(quoted.hasSuffix("...") ? quoted.dropLast(3) : quoted)
            } else {
                var path = String(file.prefix { $0 != " " })
                if path.hasSuffix(".png"), let text = file.split(whereSeparator: { " ()".contains($0) }).first(where: { $0.hasSuffix(".from-png.txt") }) {
                    path = (path as NSString).deletingLastPathComponent + "/" + text
                }
                payload = try TestCorpus.text("nzcp/" + path).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            cases.append(Case(description: file, payload: payload, expected: code, step: step))
        }
        return cases
    }

    @Test func everyManifestCaseGetsItsExpectedOutcome() throws {
        let verifier = NZCPVerifier(issuers: try Self.issuers())
        let cases = try Self.cases()
        #expect(cases.count == 9)
        #expect(cases.filter { $0.expected == nil }.count == 1)
        var matched = 0
        for testCase in cases {
            #expect(CredentialFormat(recognising: Array(testCase.payload.utf8)) == .nzcp)
            let report = verifier.verify(payload: Array(testCase.payload.utf8), in: Self.clock)
            #expect(report.format == .nzcp)
            if let expected = testCase.expected, let step = testCase.step {
                #expect(report.verdict == .fail, "\(testCase)")
                #expect(report.failure?.code == expected, "\(testCase): \(report.steps)")
                #expect(report.outcome(of: step).error?.code == expected, "\(testCase)")
                if report.failure?.code == expected { matched += 1 }
            } else {
                #expect(report.verdict == .pass, "\(testCase): \(report.steps)")
                #expect(report.issuer == "did:web:nzcp.covid19.health.nz")
                #expect(report.kid == Array("key-1".utf8))
                #expect(report.holder?.givenName == "Jack")
                if report.verdict == .pass { matched += 1 }
            }
        }
        #expect(matched == cases.count)
        print("NZCP manifest cases: \(cases.count), outcomes matched: \(matched)")
    }

    @Test func theValidExampleHasTheSpecsClaims() throws {
        let payload = try TestCorpus.text("nzcp/spec/examples/valid/nzcp.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try JSONParser.parse(TestCorpus.bytes("nzcp/spec/examples/valid/nzcp.json"))
        let pass = try NZCPVerifier.decode(Array(payload.utf8))
        #expect(pass.claims.issuer == expected["iss"]?.string)
        #expect(pass.claims.jti == expected["jti"]?.string)
        #expect(pass.claims.notBefore.map { Int64($0.timeIntervalSince1970) } == expected["nbf"]?.int64)
        #expect(pass.claims.expiresAt.map { Int64($0.timeIntervalSince1970) } == expected["exp"]?.int64)
        let holder = try NZCPSchema.holder(of: pass.claims)
        #expect(holder.familyName == expected["vc"]?["credentialSubject"]?["familyName"]?.string)
        #expect(holder.dateOfBirth == expected["vc"]?["credentialSubject"]?["dob"]?.string)
    }

    @Test func theTrustDocumentsAreRecognisedAndRoundTrip() throws {
        for path in ["nzcp/trust/did_nzcp.identity.health.nz.json", "nzcp/spec/examples/valid/did.json"] {
            let bytes = try TestCorpus.bytes(path)
            #expect(DIDIssuerDocuments.looksLike(bytes))
            #expect(!GDHCNTrustList.looksLike(bytes))
        }
        #expect(!DIDIssuerDocuments.looksLike(try TestCorpus.bytes("gdhcn/trustlist-dev-did.json")))
        let issuers = try Self.issuers()
        #expect(issuers.count == 2)
        #expect(issuers.issuers == ["did:web:nzcp.covid19.health.nz", "did:web:nzcp.identity.health.nz"])
        let copy = try DIDIssuerKeys(sectionBytes: issuers.sectionBytes)
        #expect(copy.sectionBytes == issuers.sectionBytes)
        #expect(copy.keys(issuer: "did:web:nzcp.identity.health.nz", kid: "z12Kf7UQ").count == 1)
    }
}
