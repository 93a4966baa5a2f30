/// Which admission rules the gate applies (`[policy]`): with a country of arrival a pass means "admit
/// under that country's rules", without one it means "authentic", and the choice is explicit.
public struct AdmissionConfiguration: Sendable, Hashable {
    /// Where the rules come from.
    public enum RuleSource: String, Sendable, Hashable, CaseIterable {
        /// The rules and value sets of the installed trust bundle.
        case bundle
        /// No rules: a pass means authentic.
        case disabled = "none"
    }

    /// ISO 3166 alpha-2 code of the country of arrival; nil without rules.
    public var country: String?
    /// A region within the country whose rules also apply (the EU gateway's `Region`).
    public var region: String?
    public var rules: RuleSource = .disabled

    public init() {}

    /// The country whose rules decide, or nil when no rules apply.
    public var arrivalCountry: String? { rules == .bundle ? country : nil }
}
