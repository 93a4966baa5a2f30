import AdmissionRules
import CertLogic
import Foundation
import HealthCredentialsTesting
import JSON
import Testing

@Suite struct RuleEvaluatorTests {
    let evaluator = RuleEvaluator()

    @Test func passesOnlyWhenEveryRuleGivesTrue() throws {
        let rules = [try RuleFixture.rule(), try RuleFixture.rule("GR-DE-0001")]
        let complete = evaluator.evaluate(rules, payload: RuleFixture.vaccination(dose: 2, of: 2), external: RuleFixture.external())
        #expect(complete.passed)
        #expect(complete.results.map(\.verdict) == [.passed, .passed])
        #expect(complete.results.map(\.identifier) == ["VR-DE-0001", "GR-DE-0001"])

        let partial = evaluator.evaluate(rules, payload: RuleFixture.vaccination(dose: 1, of: 2), external: RuleFixture.external())
        #expect(!partial.passed)
        #expect(partial.failedIdentifiers == ["VR-DE-0001", "GR-DE-0001"])
        #expect(partial.erroredIdentifiers == [])
    }

    @Test func failsClosedWithoutRules() {
        #expect(!evaluator.evaluate([], payload: RuleFixture.vaccination(dose: 2, of: 2), external: RuleFixture.external()).passed)
    }

    @Test func treatsATruthyNonBooleanResultAsAnError() throws {
        // `{"var": …}` gives the dose number (truthy), which DGCA does not take as a pass.
        let rule = try RuleFixture.rule(logic: ["var": "payload.v.0.dn"], affectedFields: ["v.0.dn"])
        let outcome = evaluator.evaluate([rule], payload: RuleFixture.vaccination(dose: 2, of: 2), external: RuleFixture.external())
        #expect(!outcome.passed)
        #expect(outcome.results.first?.verdict == .error(CertLogicError(.typeMismatch, "")))
        #expect(outcome.erroredIdentifiers == ["VR-DE-0001"])
        #expect(outcome.failedIdentifiers == [])
    }

    @Test func treatsAnEvaluationErrorAsNotPassed() throws {
        let logic: JSONValue = [
            "not-after": [["plusTime": [["var": "payload.v.0.dt"], 0, "day"]], ["plusTime": [["var": "external.validationClock"], 0, "day"]]],
        ]
        let rule = try RuleFixture.rule(logic: logic, affectedFields: ["v.0.dt"])
        let payload: JSONValue = ["ver": "1.3.0", "v": [["dt": "not a date"]]]
        let outcome = evaluator.evaluate([rule], payload: payload, external: RuleFixture.external())
        #expect(!outcome.passed)
        #expect(outcome.results.first?.verdict == .error(CertLogicError(.invalidDateTime, "")))
        let good: JSONValue = ["ver": "1.3.0", "v": [["dt": "2022-05-01"]]]
        #expect(evaluator.evaluate([rule], payload: good, external: RuleFixture.external()).passed)
    }

    @Test func checksTheCredentialsSchemaVersionAsDGCADoes() throws {
        let rule = try RuleFixture.rule()  // SchemaVersion 1.0.0
        let external = RuleFixture.external()
        #expect(evaluator.evaluate([rule], payload: RuleFixture.vaccination(dose: 2, of: 2, version: "1.0.0"), external: external).passed)
        for version in ["2.0.0", "0.9.9", "1.3", "x"] {
            let outcome = evaluator.evaluate([rule], payload: RuleFixture.vaccination(dose: 2, of: 2, version: version), external: external)
            #expect(outcome.results.first?.verdict == .incompatibleSchemaVersion, "ver \(version)")
        }
        let noVersion: JSONValue = ["v": [["dn": 2, "sd": 2]]]
        #expect(evaluator.evaluate([rule], payload: noVersion, external: external).results.first?.verdict == .incompatibleSchemaVersion)
        let lenient = RuleEvaluator(checksSchemaVersion: false)
        #expect(lenient.evaluate([rule], payload: noVersion, external: external).passed)
    }

    @Test func writesExternalAsDGCADoes() {
        var external = RuleFixture.external(clock: "2022-06-01T12:34:56Z")
        external.exp = RuleFixture.date("2023-01-01T23:30:00Z")
        external.iat = RuleFixture.date("2021-12-31T00:00:01Z")
        external.kid = "DEsVUSvpFAE="
        #expect(JSONWriter.string(external.json) == #"{"valueSets":{},"validationClock":"2022-06-01T12:34:56Z","countryCode":"DE","#
            + #""exp":"2023-01-01","iat":"2021-12-31","issuerCountryCode":"AT","kid":"DEsVUSvpFAE=","region":""}"#)
        external.exp = nil
        external.kid = nil
        external.region = "BY"
        #expect(external.json["exp"] == .null)
        #expect(external.json["kid"] == .null)
        #expect(external.json["region"] == "BY")
        external.validationClock = Date(timeIntervalSince1970: -0.5)
        #expect(external.json["validationClock"] == "1969-12-31T23:59:59Z")
    }

    @Test func letsRulesReadExternalParameters() throws {
        let logic: JSONValue = [
            "if": [["var": "payload.v.0"], ["in": [["var": "external.countryCode"], ["var": "external.valueSets.gates"]]], false],
        ]
        let rule = try RuleFixture.rule(logic: logic, affectedFields: ["v.0"])
        var external = RuleFixture.external()
        #expect(!evaluator.evaluate([rule], payload: RuleFixture.vaccination(dose: 1, of: 1), external: external).passed)
        external.valueSets = try ValueSets(json: ["gates": ["AT", "DE"]])
        #expect(evaluator.evaluate([rule], payload: RuleFixture.vaccination(dose: 1, of: 1), external: external).passed)
    }

    @Test func refusesMalformedValueSets() {
        for bad: JSONValue in [[], ["a": "b"], ["a": [1]], ["": []]] {
            #expect(throws: AdmissionRulesError(.invalidValueSets, "")) { try ValueSets(json: bad) }
        }
    }
}

/// A whole country's published rule set on one realistic credential (its cost is measured by
/// `gatecheck-bench --rules`, not here: docs/benchmarks.md).
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct CountryRuleSetTests {
    @Test func aCompleteVaccinationMeetsEveryChosenSwissRule() throws {
        let set = try RuleSet(rules: RuleFiles.rules(at: TestCorpus.path("business-rules")))
        let valueSets = try RuleFiles.valueSets(at: TestCorpus.path("business-rules/valuesets/valueSets.json"))
        let clock = RuleFixture.date("2022-06-01T12:00:00Z")
        let rules = set.rules(for: RuleSelection(arrivalCountry: "CH", certificateType: .vaccination, issuerCountry: "DE", date: clock))
        #expect(rules.count >= 5)
        let payload: JSONValue = [
            "ver": "1.3.0", "dob": "1964-08-12", "nam": ["fn": "Muster", "fnt": "MUSTER", "gn": "Erika", "gnt": "ERIKA"],
            "v": [[
                "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2, "sd": 2,
                "dt": "2022-03-01", "co": "DE", "is": "Robert Koch-Institut", "ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W",
            ]],
        ]
        let external = ExternalParameters(valueSets: valueSets, validationClock: clock, countryCode: "CH", issuerCountryCode: "DE")
        let evaluator = RuleEvaluator()
        let outcome = evaluator.evaluate(rules, payload: payload, external: external)
        #expect(outcome.passed, "\(outcome.failedIdentifiers) \(outcome.erroredIdentifiers)")
        #expect(outcome.results.count == rules.count)
    }
}
