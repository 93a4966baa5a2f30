import CertLogic
import FoundationEssentials
import JSON

/// One business rule in the EU DCC gateway's format (`rule.json`), validated once, when loaded.
///
/// Rules come from untrusted media, so the initializer checks everything the gateway and the EU's
/// rule tooling check before a rule may be used: the gateway's JSON schema, the gateway's constraints
/// on identifier and validity period, the engine, that `Logic` is valid CertLogic, and that
/// `AffectedFields` names exactly the payload fields the logic reads. Evaluation never re-validates.
public struct ValidationRule: Sendable, Hashable {
    /// `GR|VR|TR|RR|IR-CC-NNNN`; together with `version` it names this rule version.
    public let identifier: String
    public let type: RuleType
    /// The country that owns the rule: the arrival country (acceptance) or the issuer (invalidation).
    public let country: String
    /// A region within `country` (`[A-Z0-9]{1,5}`); nil for the whole country (also for `""`).
    public let region: String?
    /// The rule's version; the highest valid one of an identifier wins.
    public let version: SemanticVersion
    /// The DCC schema version the rule was written for.
    public let schemaVersion: SemanticVersion
    /// Always `CERTLOGIC`: anything else is refused.
    public let engine: String
    public let engineVersion: SemanticVersion
    public let certificateType: RuleCertificateType
    /// The rule applies from `validFrom` (inclusive) until `validTo` (exclusive).
    public let validFrom: Date
    public let validTo: Date
    /// The payload fields the logic reads, as the rule declares them (e.g. `v.0.dn`).
    public let affectedFields: [String]
    public let logic: CertLogicExpression
    public let descriptions: [RuleDescription]
    /// The rule exactly as given, for storing and re-signing unchanged.
    public let json: JSONValue

    /// The engine versions this module accepts: from the oldest the EU tooling allows (0.7.5) up to
    /// the CertLogic specification our evaluator implements. A newer rule might rely on semantics we
    /// lack, so it is refused rather than guessed at.
    public static let supportedEngineVersions = SemanticVersion(0, 7, 5)...SemanticVersion(1, 3, 3)

    /// The members the gateway schema allows (it sets `additionalProperties: false`).
    static let members: Set<String> = [
        "Identifier", "Type", "Country", "Region", "Version", "SchemaVersion", "Engine", "EngineVersion",
        "CertificateType", "Description", "ValidFrom", "ValidTo", "AffectedFields", "Logic",
    ]

    /// Validates `json` as a rule; see the type's documentation for what is checked.
    public init(json: JSONValue, limits: CertLogicLimits = .default) throws(AdmissionRulesError) {
        let name = json["Identifier"]?.string.map(quoted) ?? "rule"
        do {
            try self.init(checking: json, limits: limits)
        } catch {
            throw error.within(name)
        }
    }

    private init(checking json: JSONValue, limits: CertLogicLimits) throws(AdmissionRulesError) {
        let reader = try RuleReader(json, code: .invalidRule, what: "the rule")
        try reader.onlyMembers(Self.members)
        identifier = try reader.string("Identifier", matching: "(GR|VR|TR|RR|IR)-[A-Z]{2}-dddd", Pattern.identifier)
        type = try reader.enumeration("Type", RuleType.self)
        country = try reader.string("Country", matching: "[A-Z]{2}", Pattern.countryCode)
        let region = try reader.optionalString("Region")
        if let region, !Pattern.region(region) { throw AdmissionRulesError(.invalidRule, "Region does not match [A-Z0-9]{0,5}") }
        self.region = region?.isEmpty == false ? region : nil
        version = try reader.version("Version")
        schemaVersion = try reader.version("SchemaVersion")
        engine = try reader.string("Engine")
        engineVersion = try reader.version("EngineVersion")
        certificateType = try reader.enumeration("CertificateType", RuleCertificateType.self)
        descriptions = try Self.descriptions(reader.array("Description"))
        let validFromText = try reader.string("ValidFrom")
        let validToText = try reader.string("ValidTo")
        affectedFields = try Self.affectedFields(reader.array("AffectedFields"))
        let logicJSON = try reader.value("Logic")
        guard let logicObject = logicJSON.object, !logicObject.isEmpty else {
            throw AdmissionRulesError(.invalidRule, "Logic is not a non-empty object")
        }
        self.json = json

        // Gateway constraints beyond the schema (dgc-gateway ValidationRuleService).
        try Self.checkIdentifier(identifier, type: type, certificateType: certificateType, country: country)
        guard let validFrom = Timestamp.parseGateway(validFromText) else {
            throw AdmissionRulesError(.invalidValidityPeriod, "ValidFrom is not an ISO 8601 timestamp with offset, without fraction")
        }
        guard let validTo = Timestamp.parseGateway(validToText) else {
            throw AdmissionRulesError(.invalidValidityPeriod, "ValidTo is not an ISO 8601 timestamp with offset, without fraction")
        }
        guard validFrom.addingTimeInterval(72 * 3600) <= validTo else {
            throw AdmissionRulesError(.invalidValidityPeriod, "ValidTo is not at least 72 hours after ValidFrom")
        }
        self.validFrom = validFrom
        self.validTo = validTo

        guard engine == "CERTLOGIC" else { throw AdmissionRulesError(.unsupportedEngine, "Engine is not CERTLOGIC") }
        guard Self.supportedEngineVersions.contains(engineVersion) else {
            throw AdmissionRulesError(.unsupportedEngine, "EngineVersion \(engineVersion) is outside \(Self.supportedEngineVersions)")
        }
        do {
            logic = try CertLogicExpression(validating: logicJSON, limits: limits)
        } catch {
            throw AdmissionRulesError(.invalidLogic, "Logic: \(error)")
        }
        try checkAffectedFields()
    }

    /// The value sets the logic looks up (`external.valueSets.<name>`), for checking a set's value sets.
    public var referencedValueSets: [String] {
        let prefix = "external.valueSets."
        let names = logic.dataPaths.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        return Array(Set(names)).sorted()
    }

    /// The English description (the schema requires one), for operators.
    public var englishDescription: String { descriptions.first { $0.language == "en" }?.text ?? "" }

    /// Whether the rule applies at `date`: `validFrom <= date < validTo`, the window the EU rule
    /// tooling (dcc-business-rules-utils) uses.
    public func isValid(at date: Date) -> Bool { validFrom <= date && date < validTo }
}
