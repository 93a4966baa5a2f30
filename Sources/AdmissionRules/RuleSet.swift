import FoundationEssentials
import JSON

/// All the rules a gate holds (every country's, every version), and DGCA's choice among them.
///
/// Built from validated rules, so nothing here re-validates. Versions of one identifier must be
/// distinct and, as the gateway enforces on upload, a higher version must not start before a lower one.
public struct RuleSet: Sendable {
    /// Sorted by identifier, then version.
    public let rules: [ValidationRule]

    public init(rules: [ValidationRule]) throws(AdmissionRulesError) {
        let sorted = rules.sorted { ($0.identifier, $0.version) < ($1.identifier, $1.version) }
        for (lower, higher) in zip(sorted, sorted.dropFirst()) where lower.identifier == higher.identifier {
            guard lower.version != higher.version else {
                throw AdmissionRulesError(.duplicateRule, "\(lower.identifier) version \(lower.version) appears twice")
            }
            guard lower.validFrom <= higher.validFrom else {
                throw AdmissionRulesError(
                    .inconsistentVersions, "\(higher.identifier) version \(higher.version) starts before version \(lower.version)")
            }
        }
        self.rules = sorted
    }

    private init(sorted rules: [ValidationRule]) {
        self.rules = rules
    }

    /// No rules: every selection is empty, so a gate configured for a country admits no one.
    public static let empty = RuleSet(sorted: [])

    /// An array of rule objects, as the trust bundle stores them.
    public init(json: JSONValue) throws(AdmissionRulesError) {
        guard let items = json.array else {
            throw AdmissionRulesError(.invalidRuleSet, "the rule set is a \(json.typeName), not an array")
        }
        var rules: [ValidationRule] = []
        rules.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            do {
                rules.append(try ValidationRule(json: item))
            } catch {
                throw error.within("rule set item \(index)")
            }
        }
        try self.init(rules: rules)
    }

    /// The rules as an array of their original JSON, in `rules` order.
    public var json: JSONValue { .array(rules.map(\.json)) }

    /// The rules DGCA applies to one credential, sorted by identifier:
    /// - acceptance rules of `arrivalCountry` whose region equals the selection's (nil and `""` alike),
    /// - invalidation rules of `issuerCountry` (any region),
    /// - of type General or the credential's own type,
    /// - valid at `date` (`validFrom <= date < validTo`),
    /// - and of each identifier only the highest version among those.
    public func rules(for selection: RuleSelection) -> [ValidationRule] {
        let wantedRegion = Self.normalizedRegion(selection.region)
        let issuer = selection.issuerCountry.trimmingWhitespace(newlines: false)
        var chosen: [String: ValidationRule] = [:]
        for rule in rules {
            guard rule.certificateType == .general || rule.certificateType == selection.certificateType,
                rule.isValid(at: selection.date)
            else { continue }
            switch rule.type {
            case .acceptance:
                guard rule.country == selection.arrivalCountry, Self.normalizedRegion(rule.region) == wantedRegion else { continue }
            case .invalidation:
                guard !issuer.isEmpty, rule.country == issuer else { continue }
            }
            if let current = chosen[rule.identifier], current.version >= rule.version { continue }
            chosen[rule.identifier] = rule
        }
        return chosen.values.sorted { $0.identifier < $1.identifier }
    }

    /// Certificate types for which the set holds acceptance rules of this country and region but
    /// none valid at `date`: the country's rules for them have run out, so the gate must fault on
    /// them rather than admit them unchecked. `.general` in the result means the general rules ran out,
    /// which affects every type; `isLapsed` combines both.
    public func lapsedTypes(arrivalCountry: String, region: String?, at date: Date) -> [RuleCertificateType] {
        let wantedRegion = Self.normalizedRegion(region)
        var held: Set<RuleCertificateType> = []
        var valid: Set<RuleCertificateType> = []
        for rule in rules where rule.type == .acceptance && rule.country == arrivalCountry
            && Self.normalizedRegion(rule.region) == wantedRegion
        {
            held.insert(rule.certificateType)
            if rule.isValid(at: date) { valid.insert(rule.certificateType) }
        }
        return held.subtracting(valid).sorted()
    }

    /// Whether a credential of `type` meets lapsed rules here: its own type's or the general ones.
    public func isLapsed(_ type: RuleCertificateType, arrivalCountry: String, region: String?, at date: Date) -> Bool {
        let lapsed = lapsedTypes(arrivalCountry: arrivalCountry, region: region, at: date)
        return lapsed.contains(type) || lapsed.contains(.general)
    }

    /// Value sets some rule reads that `valueSets` lacks (such a rule would fail every credential).
    public func missingValueSets(in valueSets: ValueSets) -> [String] {
        let present = Set(valueSets.names)
        return Array(Set(rules.flatMap(\.referencedValueSets)).subtracting(present)).sorted()
    }

    /// Per rule-owning country (sorted): counts, identifiers with their versions, and the span of
    /// validity, so an operator can see at a glance what a bundle holds and when it runs out.
    public var summary: [RuleSetSummary] {
        let byCountry = Dictionary(grouping: rules, by: \.country)
        return byCountry.keys.sorted().map { country in
            let countryRules = byCountry[country] ?? []
            let byIdentifier = Dictionary(grouping: countryRules, by: \.identifier)
            return RuleSetSummary(
                country: country,
                acceptanceCount: countryRules.count { $0.type == .acceptance },
                invalidationCount: countryRules.count { $0.type == .invalidation },
                identifiers: byIdentifier.keys.sorted().map { identifier in
                    RuleSetSummary.Entry(identifier: identifier, versions: (byIdentifier[identifier] ?? []).map(\.version).sorted())
                },
                earliestValidFrom: countryRules.map(\.validFrom).min() ?? .distantPast,
                latestValidTo: countryRules.map(\.validTo).max() ?? .distantPast
            )
        }
    }

    /// DGCA compares regions trimmed and case-insensitively, with no region equal to `""`.
    static func normalizedRegion(_ region: String?) -> String {
        (region ?? "").trimmingWhitespace(newlines: false).uppercased()
    }
}
