import AdmissionRules
import FoundationEssentials
import JSON

/// What `trust show` and `trust bundle inspect` say about admission rules: per country, how many
/// acceptance and invalidation rules, which identifiers at which versions, and the validity window;
/// then the value-set names.
public enum RulesSummary {
    public static func lines(rules: RuleSet?, valueSets: ValueSets?) -> [String] {
        guard let rules, !rules.rules.isEmpty else { return ["rules: none (a pass means authentic, not admitted)"] }
        var lines = ["rules: \(rules.rules.count) in \(rules.summary.count) rule sets"]
        for set in rules.summary {
            lines.append(
                "  \(set.country): \(set.acceptanceCount) acceptance, \(set.invalidationCount) invalidation, "
                    + "valid \(day(set.earliestValidFrom)) … \(day(set.latestValidTo))")
            lines.append("    " + set.identifiers.map { "\($0.identifier) \($0.versions.map(\.description).joined(separator: "/"))" }.joined(separator: ", "))
        }
        lines.append("value sets: " + (valueSets.map { $0.names.joined(separator: ", ") } ?? "none"))
        return lines
    }

    /// `ruleSets` (one object per country) and `valueSets` (the names) for JSON output.
    public static func json(rules: RuleSet?, valueSets: ValueSets?) -> (ruleSets: JSONValue, valueSets: JSONValue) {
        let sets = (rules?.summary ?? []).map { set -> JSONValue in
            .object([
                ("country", .string(set.country)),
                ("acceptance", .integer(set.acceptanceCount)),
                ("invalidation", .integer(set.invalidationCount)),
                ("validFrom", .string(timestamp(set.earliestValidFrom))),
                ("validTo", .string(timestamp(set.latestValidTo))),
                ("rules", .array(set.identifiers.map { entry in
                    .object([
                        ("identifier", .string(entry.identifier)),
                        ("versions", .array(entry.versions.map { .string($0.description) })),
                    ])
                })),
            ])
        }
        return (.array(sets), .array((valueSets?.names ?? []).map(JSONValue.string)))
    }

    private static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
    private static func day(_ date: Date) -> String { String(timestamp(date).prefix(10)) }
}
