import FoundationEssentials

/// Which rules apply to one credential at one gate, as DGCA chooses them.
public struct RuleSelection: Sendable, Hashable {
    /// The country whose acceptance rules apply (where the gate stands).
    public var arrivalCountry: String
    /// A region of the arrival country, or nil for the national rules. Matched exactly (trimmed,
    /// case-insensitive), as DGCA does: a region's gate applies only rules of that region.
    public var region: String?
    /// The credential's event type (never `.general`; general rules are always added).
    public var certificateType: RuleCertificateType
    /// The country that issued the credential, whose invalidation rules apply; empty for none.
    public var issuerCountry: String
    /// The validation clock.
    public var date: Date

    public init(arrivalCountry: String, region: String? = nil, certificateType: RuleCertificateType, issuerCountry: String, date: Date) {
        self.arrivalCountry = arrivalCountry
        self.region = region
        self.certificateType = certificateType
        self.issuerCountry = issuerCountry
        self.date = date
    }
}
