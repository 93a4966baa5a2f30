import AdmissionRules
import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing

/// The `rules` step: rules made in code, credentials from the test issuer, time as an input.
@Suite("AdmissionPolicy")
struct AdmissionPolicyTests {
    static let issuer = Issuers.es256

    /// A rule in the EU gateway format; `logic` must read exactly `fields` of the payload.
    static func rule(
        _ identifier: String, type: String = "Acceptance", country: String = "DE", certificateType: String = "Vaccination",
        version: String = "1.0.0", validFrom: String = "2021-07-01T00:00:00Z", validTo: String = "2030-06-01T00:00:00Z",
        logic: JSONValue, fields: [String]
    ) throws -> ValidationRule {
        try ValidationRule(json: .object([
            ("Identifier", .string(identifier)), ("Type", .string(type)), ("Country", .string(country)), ("Version", .string(version)),
            ("SchemaVersion", "1.0.0"), ("Engine", "CERTLOGIC"), ("EngineVersion", "0.7.5"), ("CertificateType", .string(certificateType)),
            ("Description", [.object([("lang", "en"), ("desc", "A rule made in code for a unit test.")])]),
            ("ValidFrom", .string(validFrom)), ("ValidTo", .string(validTo)),
            ("AffectedFields", .array(fields.map(JSONValue.string))), ("Logic", logic),
        ]))
    }

    static let completeSeries: JSONValue = [
        "if": [["var": "payload.v.0"], [">=": [["var": "payload.v.0.dn"], ["var": "payload.v.0.sd"]]], true],
    ]
    static let acceptedProduct: JSONValue = ["in": [["var": "payload.v.0.mp"], ["var": "external.valueSets.vaccines-covid-19-names"]]]

    static func policy(_ rules: [ValidationRule], country: String = "DE", products: [String] = ["EU/1/20/1528"]) throws -> AdmissionPolicy {
        let valueSets = try ValueSets(json: .object([("vaccines-covid-19-names", .array(products.map(JSONValue.string)))]))
        return AdmissionPolicy(rules: try RuleSet(rules: rules), valueSets: valueSets, arrivalCountry: country)
    }

    static func vaccination(dose: Int64, of total: Int64) -> TestCredential {
        TestCredential(payload: TestCredential.payload(
            type: .vaccination,
            entry: TestCredential.defaultEntry(.vaccination).map { $0.0 == "dn" ? ("dn", .integer(dose)) : $0.0 == "sd" ? ("sd", .integer(total)) : $0 }))
    }

    static func verify(_ credential: TestCredential, _ policy: AdmissionPolicy, at now: Date = TestCredential.validAt) throws -> VerificationReport {
        HC1Verifier(trustList: issuer.trustList, admission: policy).verify(payload: try issuer.hc1(credential), in: VerificationContext(now: now))
    }

    static func germanRules() throws -> [ValidationRule] {
        [
            try rule("VR-DE-0001", logic: completeSeries, fields: ["v.0", "v.0.dn", "v.0.sd"]),
            try rule("VR-DE-0002", logic: acceptedProduct, fields: ["v.0.mp"]),
        ]
    }

    @Test("every chosen rule true: the rules step is ok and the verdict a pass")
    func admitted() throws {
        let report = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy(Self.germanRules()))
        #expect(report.outcome(of: .rules) == .ok)
        #expect(report.verdict == .pass)
        #expect(report.failedRules.isEmpty)
    }

    @Test("authentic but not admissible: rule-failed, and every failing rule is named in order")
    func refused() throws {
        let report = try Self.verify(Self.vaccination(dose: 1, of: 2), Self.policy(Self.germanRules(), products: ["EU/1/21/1529"]))
        #expect(report.verdict == .fail)
        #expect(report.failure?.code == .ruleFailed)
        #expect(report.failedRules == ["VR-DE-0001", "VR-DE-0002"])
        // Everything before the rules is fine: the credential is authentic.
        for step in [VerificationStep.signature, .tokenValidity, .schema, .content] { #expect(report.outcome(of: step) == .ok) }
        // The detail names rules, never payload values.
        #expect(report.failure?.detail.contains("1528") == false)
    }

    @Test("a rule that cannot be evaluated fails closed with rule-error")
    func errorFailsClosed() throws {
        // `<` on a string: a type error at evaluation, not at validation.
        let broken = try Self.rule("VR-DE-0003", logic: ["<": [["var": "payload.v.0.mp"], 3]], fields: ["v.0.mp"])
        let report = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy(Self.germanRules() + [broken]))
        #expect(report.verdict == .fail)
        #expect(report.failure?.code == .ruleError)
        #expect(report.failedRules == ["VR-DE-0003"])
    }

    @Test("no acceptance rule for the country or the type: rules-missing, never a pass")
    func missing() throws {
        let elsewhere = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy(Self.germanRules(), country: "FR"))
        #expect(elsewhere.failure?.code == .rulesMissing)
        let testOnly = try Self.rule(
            "TR-DE-0001", certificateType: "Test", logic: ["if": [["var": "payload.t.0"], true, false]], fields: ["t.0"])
        let wrongType = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy([testOnly]))
        #expect(wrongType.failure?.code == .rulesMissing)
        #expect(wrongType.verdict == .fail)
    }

    @Test("rules of the type that have all lapsed: rules-stale, never a pass")
    func lapsed() throws {
        let old = try Self.rule(
            "VR-DE-0001", validFrom: "2021-07-01T00:00:00Z", validTo: "2022-08-01T00:00:00Z", logic: Self.completeSeries,
            fields: ["v.0", "v.0.dn", "v.0.sd"])
        let report = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy([old]))
        #expect(report.failure?.code == .rulesStale)
        #expect(report.verdict == .fail)
        // Inside its validity (2022-07-01) the same rule decides.
        let earlier = Date(timeIntervalSince1970: 1_656_633_600)
        #expect(try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy([old]), at: earlier).verdict == .pass)
    }

    @Test("the highest version valid at the verification time decides")
    func versions() throws {
        let first = try Self.rule("VR-DE-0001", version: "1.0.0", logic: ["if": [["var": "payload.v.0"], true, false]], fields: ["v.0"])
        let second = try Self.rule(
            "VR-DE-0001", version: "1.1.0", validFrom: "2022-06-01T00:00:00Z", logic: Self.completeSeries, fields: ["v.0", "v.0.dn", "v.0.sd"])
        let partial = Self.vaccination(dose: 1, of: 2)
        #expect(try Self.verify(partial, Self.policy([first, second]), at: Date(timeIntervalSince1970: 1_650_000_000)).verdict == .pass)
        #expect(try Self.verify(partial, Self.policy([first, second])).failedRules == ["VR-DE-0001"])
    }

    @Test("invalidation rules of the issuing country apply, those of other countries do not")
    func invalidation() throws {
        let blocked = try Self.rule(
            "IR-XX-0001", type: "Invalidation", country: "XX", certificateType: "General",
            logic: ["!": [["in": [["var": "payload.v.0.ci"], ["URN:UVCI:01:XX:GATECHECKTEST0001"]]]]], fields: ["v.0.ci"])
        let report = try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy(Self.germanRules() + [blocked]))
        #expect(report.failedRules == ["IR-XX-0001"])
        let otherIssuer = try Self.rule(
            "IR-FR-0001", type: "Invalidation", country: "FR", certificateType: "General",
            logic: ["!": [["in": [["var": "payload.v.0.ci"], ["URN:UVCI:01:XX:GATECHECKTEST0001"]]]]], fields: ["v.0.ci"])
        #expect(try Self.verify(Self.vaccination(dose: 2, of: 2), Self.policy(Self.germanRules() + [otherIssuer])).verdict == .pass)
    }

    @Test("the payload rules see is the DCC as JSON, integers exact")
    func payloadJSON() throws {
        let json = DCCPayloadJSON.json(Self.vaccination(dose: 1, of: 2).payload)
        #expect(json["v"]?.array?.first?["dn"] == 1)
        #expect(json["v"]?.array?.first?["mp"] == "EU/1/20/1528")
        #expect(json["nam"]?["fnt"] == "TESTPERSON")
        #expect(json["ver"] == "1.3.0")
    }
}
