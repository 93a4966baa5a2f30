import AdmissionRules
import JSON

/// Reading and checking the `rules` and `value-sets` sections: the same validation when a bundle
/// is created and when it is imported, so a rule that a device would refuse never ships.
enum BundleRules {
    /// Rule and value-set sections are at most 64 MiB; their JSON is bounded accordingly.
    static let limits = JSONLimits(maxBytes: BundleSection.rules.maximumLength, maxDepth: 64, maxItems: 4_000_000, maxStringLength: 1 << 20)

    static func ruleSet(from bytes: [UInt8]) throws(TrustStoreError) -> RuleSet {
        try parse(bytes, section: "rules", as: RuleSet.init(json:))
    }

    static func valueSets(from bytes: [UInt8]) throws(TrustStoreError) -> ValueSets {
        try parse(bytes, section: "value sets", as: ValueSets.init(json:))
    }

    /// Bounded JSON, then the section's own validation; either failure refuses the bundle's contents.
    private static func parse<Value>(
        _ bytes: [UInt8], section: String, as make: (JSONValue) throws(AdmissionRulesError) -> Value
    ) throws(TrustStoreError) -> Value {
        do {
            return try make(JSONParser.parse(bytes, limits: limits))
        } catch {
            throw TrustStoreError(.badContents, "\(section): \(error)")
        }
    }

    /// Rules need value sets, and every value set a rule reads must be there: otherwise a rule
    /// would fail on every credential at the gate instead of being refused here.
    static func check(rules: RuleSet?, valueSets: ValueSets?) throws(TrustStoreError) {
        guard let rules, !rules.rules.isEmpty else { return }
        guard let valueSets else { throw TrustStoreError(.badContents, "rules without value sets") }
        let missing = rules.missingValueSets(in: valueSets)
        guard missing.isEmpty else {
            throw TrustStoreError(.badContents, "the rules read value sets the bundle lacks: \(missing.joined(separator: ", "))")
        }
    }
}
