import AdmissionRules
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing
import TrustSources
@testable import TrustStore

/// Issue 20: bundles built from the EU gateway's and WHO's own download forms, filtered by country, and compared
/// with `trust bundle diff`.
@Suite("Bundles from the official sources")
struct OfficialSourcesTests {
    /// A valid acceptance rule of `country`; `description` lets a test change a rule without changing its version.
    static func rule(country: String, number: Int = 1, version: String = "1.0.0", description: String = "The vaccination schedule must be complete.") -> JSONValue {
        [
            "Identifier": .string("VR-\(country)-000\(number)"), "Type": "Acceptance", "Country": .string(country), "Version": .string(version),
            "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
            "Description": [["lang": "en", "desc": .string(description)]],
            "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z", "AffectedFields": ["v.0.mp"],
            "Logic": ["in": [["var": "payload.v.0.mp"], ["var": "external.valueSets.vaccines-covid-19-names"]]],
        ]
    }

    static let valueSets: JSONValue = ["vaccines-covid-19-names": ["EU/1/20/1528"]]

    /// One entry of the gateway's trust list.
    static func gatewayEntry(_ certificate: Certificate, country: String, type: String) -> JSONValue {
        [
            "kid": .string(Data(DocumentSigner.kid(for: certificate)).base64EncodedString()), "country": .string(country),
            "certificateType": .string(type), "thumbprint": .string(TrustBundleBuilder.hex(certificate.sha256Fingerprint)),
            "rawData": .string(Data(certificate.derBytes).base64EncodedString()), "signature": "", "timestamp": "2021-06-01T00:00:00Z",
        ]
    }

    /// The gateway's `GET /rules/<CC>` form: each rule in a CMS SignedData by `key`/`certificate`.
    static func rulesDownload(_ rules: [JSONValue], key: PrivateKey, certificate: Certificate) throws -> [UInt8] {
        var members: [(String, JSONValue)] = []
        for rule in rules {
            let cms = try SignedContentMessage.sign(
                content: JSONWriter.bytes(rule), key: key, certificate: certificate, contentType: SignedContentMessage.dataContentTypeOID)
            members.append((rule["Identifier"]!.string!, [[
                "version": rule["Version"]!, "validFrom": rule["ValidFrom"]!, "validTo": rule["ValidTo"]!,
                "cms": .string(Data(cms).base64EncodedString()),
            ]]))
        }
        return JSONWriter.bytes(.object(members))
    }

    /// Upload keys of two countries and a DSC of the first, as a gateway trust list.
    struct Gateway {
        let uploadXX: (key: PrivateKey, certificate: Certificate)
        let uploadYY: (key: PrivateKey, certificate: Certificate)
        let dsc: TestIssuer
        let trustList: [UInt8]

        init() throws {
            uploadXX = try TestCertificateAuthority(commonName: "XX Upload CA", country: "XX").issueSigner(commonName: "XX Upload")
            uploadYY = try TestCertificateAuthority(commonName: "YY Upload CA", country: "YY").issueSigner(commonName: "YY Upload")
            dsc = try TestIssuer(country: "XX")
            trustList = JSONWriter.bytes([
                OfficialSourcesTests.gatewayEntry(dsc.certificate, country: "XX", type: "DSC"),
                OfficialSourcesTests.gatewayEntry(uploadXX.certificate, country: "XX", type: "UPLOAD"),
                OfficialSourcesTests.gatewayEntry(uploadYY.certificate, country: "YY", type: "UPLOAD"),
            ])
        }
    }

    @Test func aGatewayRulesDownloadLoadsOnlyWithItsCountrysUploadCertificate() throws {
        let folder = try TemporaryDirectory()
        let gateway = try Gateway()
        let list = try folder.write("trustList.json", gateway.trustList)
        let rule = Self.rule(country: "XX")
        let download = try folder.write("rules-XX.json", try Self.rulesDownload([rule], key: gateway.uploadXX.key, certificate: gateway.uploadXX.certificate))

        let loaded = try TrustLoader().load(paths: [download, list])
        #expect(loaded.rules.map(\.json) == [rule])
        #expect(loaded.trustList.allSigners.map(\.kid) == [gateway.dsc.kid], "only DSC entries are signers")

        let unchecked = #expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [download]) }
        #expect(unchecked?.code == .listRefused)
        let wrongCountry = try folder.write("rules-XX-by-YY.json", try Self.rulesDownload([rule], key: gateway.uploadYY.key, certificate: gateway.uploadYY.certificate))
        #expect((#expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [list, wrongCountry]) })?.code == .listRefused)

        // A changed byte inside the signed rule: the signature no longer verifies.
        var der = try SignedContentMessage.sign(
            content: JSONWriter.bytes(rule), key: gateway.uploadXX.key, certificate: gateway.uploadXX.certificate,
            contentType: SignedContentMessage.dataContentTypeOID)
        let marker = Array("schedule".utf8)
        let at = try #require((0...(der.count - marker.count)).first { Array(der[$0..<($0 + marker.count)]) == marker })
        der[at] = UInt8(ascii: "S")
        let tampered = try folder.write("tampered.json", JSONWriter.bytes([
            "VR-XX-0001": [["version": "1.0.0", "validFrom": rule["ValidFrom"]!, "validTo": rule["ValidTo"]!, "cms": .string(Data(der).base64EncodedString())]],
        ]))
        #expect((#expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [list, tampered]) })?.code == .listRefused)
    }

    @Test func anArrayOfRulesAndAnEmptyGatewayListAreRecognised() throws {
        let folder = try TemporaryDirectory()
        let rules = [Self.rule(country: "XX"), Self.rule(country: "YY")]
        let array = try folder.write("rules.json", JSONWriter.bytes(.array(rules)))
        let empty = try folder.write("trustList.json", "[]")
        let loaded = try TrustLoader().load(paths: [array, empty])
        #expect(loaded.rules.map(\.json) == rules)
        #expect(loaded.trustList.count == 0 && loaded.loaded.map(\.path) == [array, empty])
    }

    @Test func valueSetsInBothFormsMergeAndAConflictIsRefused() throws {
        let folder = try TemporaryDirectory()
        let compressed = try folder.write("valueSets.json", JSONWriter.bytes(Self.valueSets))
        let single = try folder.write("test-type.json", JSONWriter.bytes([
            "valueSetId": "covid-19-lab-test-type", "valueSetDate": "2021-04-27",
            "valueSetValues": ["LP6464-4": ["display": "NAAT", "active": true], "LP217198-3": ["display": "RAT", "active": true]],
        ]))
        let loaded = try TrustLoader().load(paths: [compressed, single])
        #expect(loaded.valueSets?.names == ["covid-19-lab-test-type", "vaccines-covid-19-names"])
        #expect(loaded.valueSets?.codes("covid-19-lab-test-type") == ["LP6464-4", "LP217198-3"])
        let conflicting = try folder.write("other.json", JSONWriter.bytes(["vaccines-covid-19-names": ["EU/1/21/1529"]]))
        #expect((#expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [compressed, conflicting]) })?.code == .badRule)
    }

    @Test func countryFiltersKeepAndDropSignersAndRules() throws {
        let folder = try TemporaryDirectory()
        let issuers = [try TestIssuer(country: "XX"), try TestIssuer(country: "YY")]
        for issuer in issuers {
            let country = issuer.certificate.subjectCountry!
            try folder.write("trust/\(country).pem", TestCertificateAuthority.pem(issuer.certificate))
            try folder.write("trust/rules/\(country)/VR-\(country)-0001/rule.json", JSONWriter.bytes(Self.rule(country: country)))
        }
        try folder.write("trust/valueSets.json", JSONWriter.bytes(Self.valueSets))
        func load(include: [String] = [], exclude: [String] = []) throws -> TrustLoader.LoadedTrust {
            var loader = TrustLoader()
            loader.countryFilter = try CountryFilter(include: include, exclude: exclude)
            return try loader.load(paths: [folder.file("trust")])
        }
        let everything = try load()
        #expect(everything.rules.count == 2 && everything.trustList.count == 2 && everything.filteredOut == 0)
        for country in ["XX", "YY"] {
            let included = try load(include: [country.lowercased()])
            #expect(included.trustList.allSigners.map(\.country) == [country])
            #expect(included.rules.map(\.country) == [country])
            #expect(included.filteredOut == 2)
            let excluded = try load(exclude: [country])
            #expect(excluded.trustList.allSigners.map(\.country) == everything.trustList.allSigners.compactMap(\.country).filter { $0 != country })
            #expect(excluded.rules.map(\.country) == everything.rules.map(\.country).filter { $0 != country })
        }
        // Unknown countries: dropped by an include filter, kept by an exclude filter alone.
        #expect(try !CountryFilter(include: ["XX"], exclude: []).admits([]))
        #expect(try CountryFilter(include: [], exclude: ["XX"]).admits([]))
        #expect(try CountryFilter(include: ["XXX"], exclude: []).admits(["XX", "XXX"]), "a GDHCN signer matches by its participant too")
        for bad in ["D", "DEUT", "D1", "É"] {
            #expect((#expect(throws: TrustSourceError.self) { try CountryFilter(include: [bad], exclude: []) })?.code == .badFilter)
        }
    }

    /// Two bundles made from known inputs; the diff's counts come from those inputs.
    @Test func diffListsSignersRulesValueSetsAndRevocationChanges() throws {
        let folder = try TemporaryDirectory()
        let issuers = try (0..<4).map { _ in try TestIssuer(country: "XX") }
        var generator = SplitMix64(seed: 20)
        let hashes = (0..<300).map { _ in TSFixture.randomHash16(&generator) }
        let changedRule = Self.rule(country: "XX", number: 1, description: "The vaccination schedule must be complete, in new words.")
        struct Inputs {
            var signers: [TestIssuer]
            var rules: [JSONValue]
            var valueSets: JSONValue
            var revoked: [[UInt8]]
        }
        let old = Inputs(
            signers: Array(issuers[0..<3]), rules: [Self.rule(country: "XX", number: 1), Self.rule(country: "XX", number: 2)],
            valueSets: ["vaccines-covid-19-names": ["EU/1/20/1528"], "gone": ["x"]], revoked: Array(hashes[0..<200]))
        let new = Inputs(
            signers: Array(issuers[1..<4]), rules: [changedRule, Self.rule(country: "XX", number: 3)],
            valueSets: ["vaccines-covid-19-names": ["EU/1/20/1528", "EU/1/21/1529"], "new": ["y"]], revoked: Array(hashes[100..<300]))
        func bundle(_ inputs: Inputs, sequence: UInt64) throws -> String {
            var builder = TrustBundleBuilder(sequence: sequence, issuedAt: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400), producer: "tests")
            builder.signers = inputs.signers.map(\.signer)
            builder.rules = try RuleSet(rules: inputs.rules.map { try ValidationRule(json: $0) })
            builder.valueSets = try ValueSets(json: inputs.valueSets)
            builder.revocations[.revokedSignature] = inputs.revoked
            return try folder.write("\(sequence).bundle", try builder.build(signingKey: TSPKI.shared.signingKey, certificate: TSPKI.shared.signingCertificate))
        }
        let (oldPath, newPath) = (try bundle(old, sequence: 1), try bundle(new, sequence: 2))
        let lines = try TrustBundleDiff.lines(old: oldPath, new: newPath, anchors: TSPKI.shared.anchors)

        let kid = { (issuer: TestIssuer) in Data(issuer.kid).base64EncodedString() }
        let oldKids = Set(old.signers.map(kid)), newKids = Set(new.signers.map(kid))
        let oldRevoked = Set(old.revoked), newRevoked = Set(new.revoked)
        #expect(lines.first == TrustBundleDiff.formatLine)
        #expect(lines.contains("verified yes"))
        #expect(lines.contains("sequence 1 2"))
        #expect(lines.contains("signers hcert 3 3 +\(newKids.subtracting(oldKids).count) -\(oldKids.subtracting(newKids).count) ~0"))
        for gone in oldKids.subtracting(newKids) { #expect(lines.contains("- signer hcert \(gone) XX")) }
        for came in newKids.subtracting(oldKids) { #expect(lines.contains("+ signer hcert \(came) XX")) }
        #expect(lines.contains("rules 2 2 +1 -1 ~1"))
        #expect(lines.contains("~ rule VR-XX-0001 1.0.0") && lines.contains("- rule VR-XX-0002 1.0.0") && lines.contains("+ rule VR-XX-0003 1.0.0"))
        #expect(lines.contains("value-sets 2 2 +1 -1 ~1"))
        #expect(lines.contains("~ value-set vaccines-covid-19-names") && lines.contains("- value-set gone") && lines.contains("+ value-set new"))
        #expect(lines.contains(
            "revocation revoked-signature \(oldRevoked.count) \(newRevoked.count) +\(newRevoked.subtracting(oldRevoked).count) -\(oldRevoked.subtracting(newRevoked).count)"))
        #expect(lines.contains("revocation revoked-uci 0 0 +0 -0"))

        // Without anchors the same comparison, marked unverified; a bundle compared with itself shows no change.
        let unverified = try TrustBundleDiff.lines(old: oldPath, new: newPath, anchors: nil)
        #expect(unverified.filter { $0 != "verified no" } == lines.filter { $0 != "verified yes" })
        let same = try TrustBundleDiff.lines(old: newPath, new: newPath, anchors: nil)
        #expect(same.allSatisfy { !$0.hasPrefix("+ ") && !$0.hasPrefix("- ") && !$0.hasPrefix("~ ") })

        // A bundle that is not one, or one signed for other anchors, is refused with a reason code.
        let garbage = try folder.write("garbage.bundle", "not a bundle")
        expectTrustStoreError(.malformed) { _ = try TrustBundleDiff.lines(old: garbage, new: newPath, anchors: nil) }
        let stranger = try TestCertificateAuthority(commonName: "Other Root")
        expectTrustStoreError(.unknownSigner) { _ = try TrustBundleDiff.lines(old: oldPath, new: newPath, anchors: [stranger.certificate]) }
    }
}

extension OfficialSourcesTests {
    /// The corpus's German test list (the EU gateway's DSCs, as CovPass downloads them), the WHO GDHCN DEV list and
    /// the DE rules with the EU value sets.
    @Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
    struct Corpus {
        static let sources = [
            "trustlists/de-test/dsc-list.json", "gdhcn/trustlist-dev-did.json", "business-rules/DE", "business-rules/valuesets/valueSets.json",
        ].map(TestCorpus.path)

        static func loader(_ list: String = "de-test", include: [String] = [], exclude: [String] = []) throws -> TrustLoader {
            var loader = TrustLoader(listKey: try TrustLoader.publicKey(fromPEMFile: TestCorpus.path("trustlists/\(list)/dsc-list-signing-key.pem")))
            loader.countryFilter = try CountryFilter(include: include, exclude: exclude)
            return loader
        }

        static func bundle(_ loaded: TrustLoader.LoadedTrust, sequence: UInt64) throws -> [UInt8] {
            var builder = TrustBundleBuilder(sequence: sequence, issuedAt: Date().addingTimeInterval(-60), notAfter: Date().addingTimeInterval(86_400), producer: "tests")
            builder.trust = loaded.trust
            builder.rules = try RuleSet(rules: loaded.rules)
            builder.valueSets = loaded.valueSets
            return try builder.build(signingKey: TSPKI.shared.signingKey, certificate: TSPKI.shared.signingCertificate)
        }

        @Test func aBundleFromTheEUListGDHCNAndTheDERulesVerifiesAndImports() throws {
            let loaded = try Self.loader().load(paths: Self.sources)
            let germanList = try Self.loader().load(paths: [TestCorpus.path("trustlists/de-test/dsc-list.json")]).trustList
            let gdhcn = try GDHCNTrustList.read(Array(try Data(contentsOf: TestCorpus.url("gdhcn/trustlist-dev-did.json"))), path: "gdhcn")
            #expect(loaded.trustList.count == germanList.merging(TrustList(gdhcn.signers)).count)
            #expect(loaded.rules.map(\.identifier) == (try RuleFiles.rules(at: TestCorpus.path("business-rules/DE"))).map(\.identifier))
            #expect(loaded.valueSets == (try RuleFiles.valueSets(at: TestCorpus.path("business-rules/valuesets/valueSets.json"))))

            let folder = try TemporaryDirectory()
            let store = TrustStoreDirectory(path: folder.file("state"))
            let installed = try store.install(from: try folder.write("corpus.bundle", try Self.bundle(loaded, sequence: 1)), anchors: TSPKI.shared.anchors, now: Date())
            #expect(installed.signers.count == loaded.trustList.count)
            #expect(installed.rules?.rules.count == loaded.rules.count)
            let trust = try store.load(anchors: TSPKI.shared.anchors)
            #expect(trust.manifest.sequence == 1)
            #expect(trust.trust.hcert.signers(forKid: Array(Data(base64Encoded: "8w2kZxb3iC0=")!)).count == 1, "the VN test DSC the samples are signed with")
        }

        @Test func countryFiltersApplyToEverySource() throws {
            let everything = try Self.loader().load(paths: Self.sources)
            let german = everything.trustList.allSigners.filter { $0.country == "DE" }
            let onlyGermany = try Self.loader(include: ["DE"]).load(paths: Self.sources)
            #expect(!german.isEmpty && onlyGermany.trustList.count == german.count)
            #expect(onlyGermany.rules.count == everything.rules.count, "every DE rule is Germany's")
            let withoutGermany = try Self.loader(exclude: ["DE"]).load(paths: Self.sources)
            #expect(withoutGermany.trustList.count == everything.trustList.count - german.count)
            #expect(withoutGermany.rules.isEmpty)

            // GDHCN participants are alpha-3: the test participant `xcl` (its DSC has C=XL).
            let gdhcn = try GDHCNTrustList.read(Array(try Data(contentsOf: TestCorpus.url("gdhcn/trustlist-dev-did.json"))), path: "gdhcn")
            let xcl = gdhcn.participants.filter { $0 == "XCL" }.count
            let onlyXCL = try Self.loader(include: ["XCL"]).load(paths: [TestCorpus.path("gdhcn/trustlist-dev-did.json")])
            #expect(xcl > 0 && onlyXCL.trustList.count == xcl)
            #expect(onlyXCL.trustList.signers(forKid: Array(Data(base64Encoded: "UUuJcwmjoJM=")!)).count == 1, "the DVC samples' signer")
        }

        /// de-test against de-prod, with one DE rule reworded (same version): counts from the two lists themselves.
        @Test func diffBetweenTheTestAndProductionListsWithAChangedRule() throws {
            let folder = try TemporaryDirectory()
            let rules = try RuleFiles.rules(at: TestCorpus.path("business-rules/DE"))
            for (index, rule) in rules.enumerated() {
                var json = rule.json
                if index == 0 {
                    json = .object(JSONObject(json.object!.map {
                        ($0.name, $0.name == "Description" ? [["lang": "en", "desc": "Reworded for the diff test, same version."]] : $0.value)
                    }))
                }
                try folder.write("rules/\(rule.identifier)/rule.json", JSONWriter.bytes(json))
            }
            let valueSets = TestCorpus.path("business-rules/valuesets/valueSets.json")
            let old = try Self.loader("de-test").load(paths: [TestCorpus.path("trustlists/de-test/dsc-list.json"), TestCorpus.path("business-rules/DE"), valueSets])
            let new = try Self.loader("de-prod").load(paths: [TestCorpus.path("trustlists/de-prod/dsc-list.json"), folder.file("rules"), valueSets])
            let oldPath = try folder.write("old.bundle", try Self.bundle(old, sequence: 1))
            let newPath = try folder.write("new.bundle", try Self.bundle(new, sequence: 2))
            let lines = try TrustBundleDiff.lines(old: oldPath, new: newPath, anchors: TSPKI.shared.anchors)

            let label = { (signer: DocumentSigner) in "\(Data(signer.kid).base64EncodedString()) \(signer.country ?? "-")" }
            let before = Set(old.trustList.allSigners.map(label)), after = Set(new.trustList.allSigners.map(label))
            let added = after.subtracting(before), removed = before.subtracting(after)
            #expect(!added.isEmpty && !removed.isEmpty)
            #expect(lines.contains("signers hcert \(old.trustList.count) \(new.trustList.count) +\(added.count) -\(removed.count) ~0"))
            #expect(lines.filter { $0.hasPrefix("+ signer hcert ") }.count == added.count)
            #expect(lines.filter { $0.hasPrefix("- signer hcert ") }.count == removed.count)
            #expect(lines.contains("rules \(rules.count) \(rules.count) +0 -0 ~1"))
            #expect(lines.contains("~ rule \(rules[0].identifier) \(rules[0].version)"))
        }
    }
}
