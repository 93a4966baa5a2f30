import FoundationEssentials

/// One country's rules at a glance, for `gatecheck rules` listings and the status page.
public struct RuleSetSummary: Sendable, Hashable {
    /// One rule identifier and the versions the set holds of it.
    public struct Entry: Sendable, Hashable {
        public let identifier: String
        /// Ascending.
        public let versions: [SemanticVersion]
    }

    public let country: String
    /// Rule versions (not identifiers) of each type.
    public let acceptanceCount: Int
    public let invalidationCount: Int
    /// By identifier.
    public let identifiers: [Entry]
    public let earliestValidFrom: Date
    public let latestValidTo: Date
}
