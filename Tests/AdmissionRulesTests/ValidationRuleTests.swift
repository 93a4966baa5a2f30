import AdmissionRules
import JSON
import Testing

@Suite struct ValidationRuleTests {
    @Test func readsAValidRule() throws {
        let rule = try ValidationRule(json: RuleFixture.json(region: "BY"))
        #expect(rule.identifier == "VR-DE-0001")
        #expect(rule.type == .acceptance)
        #expect(rule.country == "DE")
        #expect(rule.region == "BY")
        #expect(rule.version == SemanticVersion(1, 0, 0))
        #expect(rule.certificateType == .vaccination)
        #expect(rule.validFrom == RuleFixture.date("2021-07-01T00:00:00Z"))
        #expect(rule.validTo == RuleFixture.date("2030-06-01T00:00:00Z"))
        #expect(rule.affectedFields == RuleFixture.doseFields)
        #expect(rule.englishDescription == "A rule made in code for the tests.")
        #expect(rule.json == RuleFixture.json(region: "BY"))
    }

    @Test func treatsAnEmptyRegionAsNone() throws {
        #expect(try ValidationRule(json: RuleFixture.json(region: "")).region == nil)
    }

    @Test func readsOffsetsInValidityTimes() throws {
        let rule = try ValidationRule(json: RuleFixture.json(validFrom: "2022-11-26T00:00:00+01:00"))
        #expect(rule.validFrom == RuleFixture.date("2022-11-25T23:00:00Z"))
    }

    /// One member changed each, and the code the change must be refused with.
    static let refusals: [(String, JSONValue?, AdmissionRulesError.Code)] = [
        ("Identifier", nil, .invalidRule),
        ("Identifier", "VR-DE-1", .invalidRule),
        ("Identifier", "XR-DE-0001", .invalidRule),
        ("Type", "Admission", .invalidRule),
        ("Country", "de", .invalidRule),
        ("Country", 49, .invalidRule),
        ("Region", "by", .invalidRule),
        ("Region", "BAVARIA", .invalidRule),
        ("Version", "1.0", .invalidRule),
        ("Version", "1.0.0-beta", .invalidRule),
        ("SchemaVersion", nil, .invalidRule),
        ("EngineVersion", "v1", .invalidRule),
        ("CertificateType", "Booster", .invalidRule),
        ("Description", [], .invalidRule),
        ("Description", [["lang": "en", "desc": "Too short."]], .invalidRule),
        ("Description", [["lang": "de", "desc": "Nur eine deutsche Beschreibung."]], .invalidRule),
        ("Description", [["lang": "EN", "desc": "An English description, but EN."]], .invalidRule),
        ("AffectedFields", [], .invalidRule),
        ("AffectedFields", [1], .invalidRule),
        ("Logic", [:], .invalidRule),
        ("Logic", true, .invalidRule),
        ("Unexpected", "member", .invalidRule),
        ("ValidFrom", "2021-07-01", .invalidValidityPeriod),
        ("ValidFrom", "2021-07-01T00:00:00.000Z", .invalidValidityPeriod),
        ("ValidFrom", "2021-02-29T00:00:00Z", .invalidValidityPeriod),
        ("ValidFrom", "2021-07-01T24:00:00Z", .invalidValidityPeriod),
        ("ValidTo", "2021-07-03T23:59:59Z", .invalidValidityPeriod),
        ("ValidTo", "2021-06-01T00:00:00Z", .invalidValidityPeriod),
        ("Identifier", "TR-DE-0001", .invalidIdentifier),
        ("Identifier", "IR-DE-0001", .invalidIdentifier),
        ("Identifier", "VR-AT-0001", .invalidIdentifier),
        ("Type", "Invalidation", .invalidIdentifier),
        ("Engine", "JSONLOGIC", .unsupportedEngine),
        ("EngineVersion", "0.7.4", .unsupportedEngine),
        ("EngineVersion", "2.0.0", .unsupportedEngine),
        ("Logic", ["no-such-operation": [1]], .invalidLogic),
        ("Logic", ["===": [["var": "payload.v.0.dn"], .number(JSONNumber(1.5)!)]], .invalidLogic),
        ("Logic", ["if": [["var": "payload.v.0"], true]], .invalidLogic),
        ("AffectedFields", ["v.0", "v.0.dn"], .affectedFieldsMismatch),
        ("AffectedFields", ["v.0", "v.0.dn", "v.0.sd", "v.0.mp"], .affectedFieldsMismatch),
        ("AffectedFields", ["v.0", "v.0.dn", "v.0.sd", "v.0.sd"], .affectedFieldsMismatch),
        ("AffectedFields", ["payload.v.0", "payload.v.0.dn", "payload.v.0.sd"], .affectedFieldsMismatch),
    ]

    @Test(arguments: refusals)
    func refusesARuleBreakingTheSchemaOrGatewayConstraints(member: String, value: JSONValue?, code: AdmissionRulesError.Code) {
        #expect(throws: AdmissionRulesError(code, "")) {
            try ValidationRule(json: RuleFixture.with(RuleFixture.json(), member, value))
        }
    }

    @Test func refusesNonObjects() {
        #expect(throws: AdmissionRulesError(.invalidRule, "")) { try ValidationRule(json: [RuleFixture.json()]) }
    }

    @Test func acceptsInvalidationRulesOfAnyCertificateType() throws {
        let rule = try RuleFixture.rule("IR-DE-0001", type: "Invalidation", certificateType: "Test")
        #expect(rule.type == .invalidation)
        #expect(rule.certificateType == .test)
    }

    @Test func ignoresReduceLambdaVariablesWhenCheckingAffectedFields() throws {
        // Inside a reduce lambda `var` reads the accumulator and current item, not the payload.
        let logic: JSONValue = ["reduce": [["var": "payload.v"], ["+": [["var": "accumulator"], 1]], 0]]
        let rule = try RuleFixture.rule(logic: [">": [logic, 0]], affectedFields: ["v"])
        #expect(rule.affectedFields == ["v"])
    }

    @Test func listsTheValueSetsTheLogicReads() throws {
        let logic: JSONValue = ["in": [["var": "payload.v.0.mp"], ["var": "external.valueSets.vaccines-covid-19-names"]]]
        let rule = try RuleFixture.rule(logic: logic, affectedFields: ["v.0.mp"])
        #expect(rule.referencedValueSets == ["vaccines-covid-19-names"])
    }

    @Test func errorsCompareByCodeAndNameTheRule() {
        let bad = RuleFixture.with(RuleFixture.json(), "Engine", "OTHER")
        do {
            _ = try ValidationRule(json: bad)
            Issue.record("accepted a non-CERTLOGIC rule")
        } catch {
            #expect(error.code == .unsupportedEngine)
            #expect(error.description.hasPrefix("unsupported-engine: \"VR-DE-0001\""))
            #expect(error == AdmissionRulesError(.unsupportedEngine, "other wording"))
            #expect(error != AdmissionRulesError(.invalidRule, ""))
        }
    }

    @Test func comparesVersionsNumerically() {
        #expect(SemanticVersion("1.10.0")! > SemanticVersion("1.9.0")!)
        #expect(SemanticVersion("1.0.0") == SemanticVersion(1, 0, 0))
        #expect(SemanticVersion("01.2.3") == SemanticVersion(1, 2, 3))
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("1.2.3.4") == nil)
        #expect(SemanticVersion("1..3") == nil)
        #expect(SemanticVersion("1234567890.0.0") == nil)
    }
}
