import AdmissionRules
import FoundationEssentials

/// The admission rules of one place: the EU business rules of a country of arrival (and region),
/// with the value sets they look codes up in. A pass then means "admit here", not just "authentic".
public struct AdmissionPolicy: Sendable {
    public let rules: RuleSet
    public let valueSets: ValueSets
    /// ISO 3166 alpha-2 code of the country whose acceptance rules apply.
    public let arrivalCountry: String
    public let region: String?
    public let evaluator: RuleEvaluator

    public init(rules: RuleSet, valueSets: ValueSets, arrivalCountry: String, region: String? = nil, evaluator: RuleEvaluator = RuleEvaluator()) {
        self.rules = rules
        self.valueSets = valueSets
        self.arrivalCountry = arrivalCountry
        self.region = region
        self.evaluator = evaluator
    }

    /// What the rules step concluded, with every failing rule identifier in order.
    public struct Outcome: Sendable {
        public let step: StepOutcome
        public let failedRules: [String]
    }

    /// Selects the rules for this credential as DGCA does and evaluates them on its payload.
    /// Runs only on a credential whose schema validated.
    func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> Outcome {
        guard let certificate = credential.certificate else { return Outcome(step: .skipped, failedRules: []) }
        let type = RuleCertificateType(certificate.type)
        if rules.isLapsed(type, arrivalCountry: arrivalCountry, region: region, at: context.now) {
            return Outcome(
                step: .failed(CredentialError(.rulesStale, "the \(arrivalCountry) rules for \(type.rawValue) certificates are no longer valid")),
                failedRules: [])
        }
        let issuerCountry = credential.claims.issuer ?? ""
        let selected = rules.rules(
            for: RuleSelection(
                arrivalCountry: arrivalCountry, region: region, certificateType: type, issuerCountry: issuerCountry,
                date: context.now))
        guard selected.contains(where: { $0.type == .acceptance }) else {
            return Outcome(
                step: .failed(CredentialError(.rulesMissing, "no \(arrivalCountry) acceptance rule applies to \(type.rawValue) certificates")),
                failedRules: [])
        }
        let external = ExternalParameters(
            valueSets: valueSets, validationClock: context.now, countryCode: arrivalCountry, exp: credential.claims.expiresAt,
            iat: credential.claims.issuedAt, issuerCountryCode: issuerCountry,
            kid: Data(credential.message.kid).base64EncodedString(), region: region)
        let outcome = evaluator.evaluate(selected, payload: DCCPayloadJSON.json(credential.claims.healthCertificate), external: external)
        if !outcome.erroredIdentifiers.isEmpty {
            return Outcome(
                step: .failed(CredentialError(.ruleError, "rules could not be evaluated: \(outcome.erroredIdentifiers.joined(separator: ", "))")),
                failedRules: outcome.failedIdentifiers + outcome.erroredIdentifiers)
        }
        if !outcome.failedIdentifiers.isEmpty {
            return Outcome(
                step: .failed(CredentialError(.ruleFailed, "rules not met: \(outcome.failedIdentifiers.joined(separator: ", "))")),
                failedRules: outcome.failedIdentifiers)
        }
        return Outcome(step: .ok, failedRules: [])
    }
}

extension RuleCertificateType {
    /// The rule vocabulary's name for a credential's type.
    public init(_ type: CertificateType) {
        switch type {
        case .vaccination: self = .vaccination
        case .test: self = .test
        case .recovery: self = .recovery
        }
    }
}
