import HealthCredentials

/// Which credentials the gate admits (`[policy]`): the formats it accepts, and the admission rules for EU DCCs.
/// With a country of arrival an EU DCC passes only under that country's rules; without one a pass means
/// "authentic", and the choice is explicit. A credential of another accepted format passes when it is authentic
/// and valid: listing its format in `formats` is that policy.
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
    /// The formats a pass may come from; every supported format unless `formats` narrows it.
    public var formats: [CredentialFormat] = CredentialFormat.supported
    /// The `hc1` credentials a pass may come from (EU DCC, WHO DVC, DDCC:VS, DDCC:TR); all unless `profiles` narrows it.
    /// Admission rules judge EU DCCs only, so a gate whose rules must decide lists `profiles = ["eu-dcc"]`.
    public var profiles: [CredentialProfile] = CredentialProfile.allCases

    public init() {}

    /// The country whose rules decide, or nil when no rules apply.
    public var arrivalCountry: String? { rules == .bundle ? country : nil }
}
