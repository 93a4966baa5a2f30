import FoundationEssentials
import JSON

/// What a rule sees as `external`, in the EU convention (DGCA's `ExternalParameter`): the value
/// sets, the validation clock, the gate's country and region, and facts about the credential that
/// are not in its payload.
public struct ExternalParameters: Sendable, Hashable {
    public var valueSets: ValueSets
    public var validationClock: Date
    /// The arrival country (where the gate stands).
    public var countryCode: String
    /// The credential's expiry and issuing time (CWT `exp`/`iat`), when known.
    public var exp: Date?
    public var iat: Date?
    public var issuerCountryCode: String
    /// The signing key's id, base64 as DGCA writes it.
    public var kid: String?
    public var region: String?

    public init(
        valueSets: ValueSets, validationClock: Date, countryCode: String, exp: Date? = nil, iat: Date? = nil,
        issuerCountryCode: String, kid: String? = nil, region: String? = nil
    ) {
        self.valueSets = valueSets
        self.validationClock = validationClock
        self.countryCode = countryCode
        self.exp = exp
        self.iat = iat
        self.issuerCountryCode = issuerCountryCode
        self.kid = kid
        self.region = region
    }

    /// `{valueSets, validationClock, countryCode, exp, iat, issuerCountryCode, kid, region}` as DGCA
    /// writes it: `validationClock` as `YYYY-MM-DDThh:mm:ssZ`, `exp` and `iat` as their UTC day
    /// `YYYY-MM-DD`, `region` `""` when absent; unknown `exp`, `iat` and `kid` are `null`.
    public var json: JSONValue {
        .object([
            ("valueSets", valueSets.json),
            ("validationClock", .string(Timestamp.dateTimeString(validationClock))),
            ("countryCode", .string(countryCode)),
            ("exp", exp.map { .string(Timestamp.dateString($0)) } ?? .null),
            ("iat", iat.map { .string(Timestamp.dateString($0)) } ?? .null),
            ("issuerCountryCode", .string(issuerCountryCode)),
            ("kid", kid.map { .string($0) } ?? .null),
            ("region", .string(region ?? "")),
        ])
    }
}
