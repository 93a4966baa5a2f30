import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// `gatecheck trust bundle create` from rules and value sets by content, with country filters, and
/// `gatecheck trust bundle diff`, run as the binary as the back office will.
@Suite struct TrustBundleSourcesTests {
    static func rule(country: String) -> String {
        """
        {"Identifier": "VR-\(country)-0001", "Type": "Acceptance", "Country": "\(country)", "Version": "1.0.0", "SchemaVersion": "1.0.0",
         "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
         "Description": [{"lang": "en", "desc": "The vaccination schedule must be complete."}],
         "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z", "AffectedFields": ["v.0.mp"],
         "Logic": {"in": [{"var": "payload.v.0.mp"}, {"var": "external.valueSets.vaccines-covid-19-names"}]}}
        """
    }

    @Test func filteredBundleFromRuleFoldersImportsAndDiffShowsTheCountryLeftOut() throws {
        let setup = try TrustCommandTests.Setup()
        let issuers = [try TestIssuer(country: "XX"), try TestIssuer(country: "YY")]
        for issuer in issuers {
            let country = issuer.certificate.subjectCountry!
            _ = try setup.folder.write("trust/\(country).pem", TestCertificateAuthority.pem(issuer.certificate))
            _ = try setup.folder.write("rules/\(country)/VR-\(country)-0001/rule.json", Self.rule(country: country))
        }
        let valueSets = try setup.folder.write("valueSets.json", #"{"vaccines-covid-19-names": ["EU/1/20/1528"]}"#)
        let sources = ["--trust", setup.path("trust"), "--trust", setup.path("rules"), "--trust", valueSets]

        let all = setup.path("all.bundle")
        let created = try setup.create(sequence: 1, output: all, extra: sources)
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("2 signers") && created.standardOutput.contains("2 rules"), "\(created.standardOutput)")
        let filtered = setup.path("filtered.bundle")
        let createdFiltered = try setup.create(sequence: 2, output: filtered, extra: sources + ["--exclude-country", "yy"])
        #expect(createdFiltered.status == 0, "\(createdFiltered.standardError)")
        #expect(createdFiltered.standardOutput.contains("1 signers, 0 revocation entries, 1 rules, 2 keys and rules left out by the country filter"),
                "\(createdFiltered.standardOutput)")
        let imported = try setup.importBundle(filtered)
        #expect(imported.status == 0, "\(imported.standardError)")

        let diff = try GateCheckCLI.run(["trust", "bundle", "diff", "--anchors", setup.anchors, all, filtered])
        #expect(diff.status == 0, "\(diff.standardError)")
        let lines = diff.standardOutput.split(separator: "\n").map(String.init)
        let goneKid = Data(issuers[1].kid).base64EncodedString()
        #expect(Array(lines.prefix(3)) == ["gatecheck-trust-diff 1", "verified yes", "sequence 1 2"])
        #expect(lines.contains("signers hcert 2 1 +0 -1 ~0") && lines.contains("- signer hcert \(goneKid) YY"), "\(lines)")
        #expect(lines.contains("rules 2 1 +0 -1 ~0") && lines.contains("- rule VR-YY-0001 1.0.0"), "\(lines)")

        let garbage = try setup.folder.write("garbage.bundle", "not a bundle")
        let refused = try GateCheckCLI.run(["trust", "bundle", "diff", all, garbage])
        #expect(refused.status == 1)
        #expect(refused.standardError.hasPrefix("refused (malformed):"), "\(refused.standardError)")
        let badCode = try setup.create(sequence: 3, output: setup.path("bad.bundle"), extra: sources + ["--include-country", "X1"])
        #expect(badCode.status == 2)
        #expect(badCode.standardError.contains("X1 is not an ISO 3166"), "\(badCode.standardError)")
    }
}
