import AdmissionRules
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import JSON

/// `gatecheck-bench --rules`: the cost of a country's whole admission rule set for one credential,
/// per rule set of the corpus (`$GATECHECK_CORPUS` or ../shared/corpus), as median and p99 of single
/// evaluations, next to a full ES256 verification without rules as the named reference.
func runRulesBenchmark(reference: HC1Verifier, payload: String, context: VerificationContext) {
    guard TestCorpus.isAvailable else {
        print("rules benchmark: the corpus is needed (business-rules/); skipped")
        return
    }
    let root = TestCorpus.path("business-rules")
    let valueSets: ValueSets
    do {
        valueSets = try RuleFiles.valueSets(at: root + "/valuesets/valueSets.json")
    } catch {
        print("rules benchmark: \(error)")
        return
    }
    let referenceMedian = percentiles(samples(count: 2_000) { _ = reference.verify(payload: payload, in: context) }).median
    print("reference: full ES256 verify without rules".padding(toLength: 52, withPad: " ", startingAt: 0), String(format: "%9.2f µs", referenceMedian))
    print("rule set  rules  type  evaluated  median µs  p99 µs  median/reference")
    let countries = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.count == 2 }.sorted()
    for country in countries {
        guard let rules = try? RuleSet(rules: RuleFiles.rules(at: root + "/" + country)) else {
            print("\(country): rules did not load")
            continue
        }
        // A date inside most rule sets' validity and the test credentials' own.
        let at = TestCredential.validAt
        for type in [CertificateType.vaccination, .test, .recovery] {
            let credential = TestCredential(type: type)
            let evaluator = RuleEvaluator()
            let selection = RuleSelection(arrivalCountry: country, region: nil, certificateType: .init(type), issuerCountry: "XX", date: at)
            let selected = rules.rules(for: selection)
            // Timed: selection, the payload as JSON, the external parameters and every rule's evaluation.
            let times = percentiles(samples(count: 2_000) {
                let external = ExternalParameters(
                    valueSets: valueSets, validationClock: at, countryCode: country, exp: credential.expiresAt, iat: credential.issuedAt,
                    issuerCountryCode: "XX", kid: nil, region: nil)
                _ = evaluator.evaluate(rules.rules(for: selection), payload: DCCPayloadJSON.json(credential.payload), external: external)
            })
            print(
                country.padding(toLength: 10, withPad: " ", startingAt: 0), String(format: "%5d", rules.rules.count),
                type.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0), String(format: "%9d", selected.count),
                String(format: "%10.1f %7.1f %17.2f×", times.median, times.p99, times.median / referenceMedian))
        }
    }
}

/// Microseconds per call, one sample per call.
private func samples(count: Int, _ body: () -> Void) -> [Double] {
    for _ in 0..<(count / 10) { body() }
    let clock = ContinuousClock()
    return (0..<count).map { _ in
        let elapsed = clock.measure(body)
        return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
    }
}

private func percentiles(_ values: [Double]) -> (median: Double, p99: Double) {
    let sorted = values.sorted()
    return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
}
