import AdmissionRules
import Foundation
import JSON
import Testing

@Suite struct RuleSelectionTests {
    /// Germany's and Austria's rules at a glance; see each line.
    static func set() throws -> RuleSet {
        try RuleSet(rules: [
            try RuleFixture.rule("VR-DE-0001", version: "1.0.0"),
            // 1.1.0 applies from 2022; 2.0.0 is published for 2040, so it must not win before then.
            try RuleFixture.rule("VR-DE-0001", version: "1.1.0", validFrom: "2022-01-01T00:00:00Z"),
            try RuleFixture.rule("VR-DE-0001", version: "2.0.0", validFrom: "2040-01-01T00:00:00Z", validTo: "2041-01-01T00:00:00Z"),
            try RuleFixture.rule("VR-DE-0002", validTo: "2021-12-31T00:00:00Z"),  // lapsed in 2022
            try RuleFixture.rule("VR-DE-0003", region: "BY"),  // Bavaria only
            try RuleFixture.rule("GR-DE-0001"),
            try RuleFixture.rule("TR-DE-0001"),
            try RuleFixture.rule("VR-AT-0001"),
            try RuleFixture.rule("IR-DE-0001", type: "Invalidation", certificateType: "Vaccination"),
            try RuleFixture.rule("IR-AT-0001", type: "Invalidation", certificateType: "General"),
            try RuleFixture.rule("IR-AT-0002", type: "Invalidation", certificateType: "Recovery"),
        ])
    }

    static func chosen(
        _ set: RuleSet, country: String = "DE", region: String? = nil, type: RuleCertificateType = .vaccination,
        issuer: String = "FR", at date: String = "2022-06-01T00:00:00Z"
    ) -> [String] {
        let selection = RuleSelection(
            arrivalCountry: country, region: region, certificateType: type, issuerCountry: issuer, date: RuleFixture.date(date))
        return set.rules(for: selection).map { "\($0.identifier)@\($0.version)" }
    }

    @Test func choosesTheCountrysGeneralAndOwnTypeRulesValidNowInTheirHighestVersion() throws {
        let set = try Self.set()
        #expect(Self.chosen(set) == ["GR-DE-0001@1.0.0", "VR-DE-0001@1.1.0"])
        #expect(Self.chosen(set, at: "2021-09-01T00:00:00Z") == ["GR-DE-0001@1.0.0", "VR-DE-0001@1.0.0", "VR-DE-0002@1.0.0"])
        #expect(Self.chosen(set, at: "2040-06-01T00:00:00Z") == ["VR-DE-0001@2.0.0"])
        #expect(Self.chosen(set, type: .test) == ["GR-DE-0001@1.0.0", "TR-DE-0001@1.0.0"])
        #expect(Self.chosen(set, type: .recovery) == ["GR-DE-0001@1.0.0"])
        #expect(Self.chosen(set, country: "AT") == ["VR-AT-0001@1.0.0"])
    }

    @Test func appliesTheValidityWindowAsFromInclusiveToExclusive() throws {
        let set = try Self.set()
        #expect(Self.chosen(set, at: "2030-05-31T23:59:59Z").contains("GR-DE-0001@1.0.0"))
        #expect(Self.chosen(set, at: "2030-06-01T00:00:00Z") == [])
        #expect(Self.chosen(set, at: "2021-06-30T23:59:59Z") == [])
        #expect(Self.chosen(set, at: "2021-07-01T00:00:00Z").contains("GR-DE-0001@1.0.0"))
    }

    @Test func matchesRegionsExactlyAsDGCADoes() throws {
        let set = try Self.set()
        #expect(Self.chosen(set, region: "BY") == ["VR-DE-0003@1.0.0"])
        #expect(Self.chosen(set, region: " by ") == ["VR-DE-0003@1.0.0"])
        #expect(Self.chosen(set, region: "") == Self.chosen(set, region: nil))
        #expect(Self.chosen(set, region: "HH") == [])
    }

    @Test func addsInvalidationRulesOfTheIssuingCountryOnly() throws {
        let set = try Self.set()
        #expect(Self.chosen(set, issuer: "DE") == ["GR-DE-0001@1.0.0", "IR-DE-0001@1.0.0", "VR-DE-0001@1.1.0"])
        #expect(Self.chosen(set, issuer: "AT") == ["GR-DE-0001@1.0.0", "IR-AT-0001@1.0.0", "VR-DE-0001@1.1.0"])
        #expect(Self.chosen(set, type: .recovery, issuer: "AT") == ["GR-DE-0001@1.0.0", "IR-AT-0001@1.0.0", "IR-AT-0002@1.0.0"])
        #expect(Self.chosen(set, issuer: "") == ["GR-DE-0001@1.0.0", "VR-DE-0001@1.1.0"])
        // Regions do not limit invalidation rules: they belong to the issuer, not the gate.
        #expect(Self.chosen(set, region: "BY", issuer: "AT") == ["IR-AT-0001@1.0.0", "VR-DE-0003@1.0.0"])
    }

    @Test func reportsTypesWhoseRulesHaveAllLapsed() throws {
        let set = try RuleSet(rules: [
            try RuleFixture.rule("VR-FR-0001", validFrom: "2021-07-01T00:00:00Z", validTo: "2022-07-01T00:00:00Z"),
            try RuleFixture.rule("VR-FR-0002", validFrom: "2021-07-01T00:00:00Z", validTo: "2022-09-01T00:00:00Z"),
            try RuleFixture.rule("TR-FR-0001"),
            try RuleFixture.rule("GR-FR-0001", validTo: "2023-01-01T00:00:00Z"),
            try RuleFixture.rule("RR-FR-0001", validTo: "2022-01-01T00:00:00Z", region: "XY"),
        ])
        let lapsed = { (date: String) in set.lapsedTypes(arrivalCountry: "FR", region: nil, at: RuleFixture.date(date)) }
        #expect(lapsed("2022-08-01T00:00:00Z") == [])
        #expect(lapsed("2022-10-01T00:00:00Z") == [.vaccination])
        #expect(lapsed("2023-06-01T00:00:00Z") == [.general, .vaccination])
        #expect(lapsed("2021-01-01T00:00:00Z") == [.general, .vaccination, .test])
        #expect(set.lapsedTypes(arrivalCountry: "FR", region: "XY", at: RuleFixture.date("2022-06-01T00:00:00Z")) == [.recovery])
        #expect(set.lapsedTypes(arrivalCountry: "DE", region: nil, at: RuleFixture.date("2040-01-01T00:00:00Z")) == [])

        let date = RuleFixture.date("2023-06-01T00:00:00Z")
        #expect(set.isLapsed(.test, arrivalCountry: "FR", region: nil, at: date))  // its general rules lapsed
        #expect(!set.isLapsed(.test, arrivalCountry: "FR", region: nil, at: RuleFixture.date("2022-10-01T00:00:00Z")))
    }

    @Test func refusesTheSameVersionTwice() throws {
        let rule = try RuleFixture.rule()
        #expect(throws: AdmissionRulesError(.duplicateRule, "")) { try RuleSet(rules: [rule, try RuleFixture.rule("GR-DE-0001"), rule]) }
    }

    @Test func refusesAHigherVersionStartingBeforeALowerOne() throws {
        let older = try RuleFixture.rule(version: "1.0.0", validFrom: "2022-01-01T00:00:00Z")
        let newer = try RuleFixture.rule(version: "1.0.1", validFrom: "2021-12-01T00:00:00Z")
        #expect(throws: AdmissionRulesError(.inconsistentVersions, "")) { try RuleSet(rules: [newer, older]) }
    }

    @Test func readsAndWritesTheBundleForm() throws {
        let set = try Self.set()
        let copy = try RuleSet(json: set.json)
        #expect(copy.rules == set.rules)
        #expect(set.rules.map(\.identifier) == set.rules.map(\.identifier).sorted())
        #expect(throws: AdmissionRulesError(.invalidRuleSet, "")) { try RuleSet(json: RuleFixture.json()) }
        let bad: JSONValue = [RuleFixture.json(), RuleFixture.with(RuleFixture.json("GR-DE-0001"), "Engine", "X")]
        #expect(throws: AdmissionRulesError(.unsupportedEngine, "")) { try RuleSet(json: bad) }
    }

    @Test func summarisesPerCountry() throws {
        let summary = try Self.set().summary
        #expect(summary.map(\.country) == ["AT", "DE"])
        let germany = try #require(summary.last)
        #expect(germany.acceptanceCount == 7)
        #expect(germany.invalidationCount == 1)
        #expect(germany.identifiers.map(\.identifier) == ["GR-DE-0001", "IR-DE-0001", "TR-DE-0001", "VR-DE-0001", "VR-DE-0002", "VR-DE-0003"])
        #expect(germany.identifiers[3].versions == [SemanticVersion(1, 0, 0), SemanticVersion(1, 1, 0), SemanticVersion(2, 0, 0)])
        #expect(germany.earliestValidFrom == RuleFixture.date("2021-07-01T00:00:00Z"))
        #expect(germany.latestValidTo == RuleFixture.date("2041-01-01T00:00:00Z"))
    }

    @Test func findsValueSetsTheRulesNeedButTheBundleLacks() throws {
        let logic: JSONValue = ["in": [["var": "payload.v.0.mp"], ["var": "external.valueSets.vaccines-covid-19-names"]]]
        let set = try RuleSet(rules: [try RuleFixture.rule(logic: logic, affectedFields: ["v.0.mp"])])
        #expect(set.missingValueSets(in: .empty) == ["vaccines-covid-19-names"])
        let present = try ValueSets(json: ["vaccines-covid-19-names": ["EU/1/20/1528"]])
        #expect(set.missingValueSets(in: present) == [])
    }
}
