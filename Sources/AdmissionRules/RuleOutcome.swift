/// All the rules' verdicts on one credential, and whether it may be admitted.
public struct RuleOutcome: Sendable, Hashable {
    /// In the order the rules were given.
    public var results: [RuleResult]

    public init(results: [RuleResult]) {
        self.results = results
    }

    /// Identifiers of rules that evaluated to `false`.
    public var failedIdentifiers: [String] {
        results.filter { $0.verdict == .failed }.map(\.identifier)
    }

    /// Identifiers of rules that could not be decided (errors, non-boolean results, incompatible schema).
    public var erroredIdentifiers: [String] {
        results.filter { $0.verdict != .passed && $0.verdict != .failed }.map(\.identifier)
    }

    /// True only when at least one rule ran and every rule gave exactly `true`. No rules at all is
    /// not a pass: the gate has nothing to admit by, so it fails closed (the caller may decide
    /// otherwise explicitly, e.g. for a country known to publish no rules).
    public var passed: Bool {
        !results.isEmpty && results.allSatisfy { $0.verdict == .passed }
    }
}
