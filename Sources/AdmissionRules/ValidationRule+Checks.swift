import CertLogic
import JSON

/// The checks `ValidationRule.init(json:)` makes beyond reading members.
extension ValidationRule {
    static func descriptions(_ items: [JSONValue]) throws(AdmissionRulesError) -> [RuleDescription] {
        guard !items.isEmpty else { throw AdmissionRulesError(.invalidRule, "Description is empty") }
        var result: [RuleDescription] = []
        for (index, item) in items.enumerated() {
            let reader = try RuleReader(item, code: .invalidRule, what: "Description[\(index)]")
            let language = try reader.string("lang", matching: "[a-z]{2} or [a-z]{2}-[a-z]{2}", Pattern.language)
            let text = try reader.string("desc")
            guard text.unicodeScalars.count >= 20 else {
                throw AdmissionRulesError(.invalidRule, "Description[\(index)].desc is shorter than 20 characters")
            }
            result.append(RuleDescription(language: language, text: text))
        }
        guard result.contains(where: { $0.language == "en" }) else {
            throw AdmissionRulesError(.invalidRule, "Description has no English (en) entry")
        }
        return result
    }

    static func affectedFields(_ items: [JSONValue]) throws(AdmissionRulesError) -> [String] {
        guard !items.isEmpty else { throw AdmissionRulesError(.invalidRule, "AffectedFields is empty") }
        var fields: [String] = []
        for item in items {
            guard let field = item.string else { throw AdmissionRulesError(.invalidRule, "AffectedFields holds a \(item.typeName)") }
            guard !fields.contains(field) else {
                throw AdmissionRulesError(.affectedFieldsMismatch, "AffectedFields lists \(quoted(field)) twice")
            }
            fields.append(field)
        }
        return fields
    }

    static func checkIdentifier(
        _ identifier: String, type: RuleType, certificateType: RuleCertificateType, country: String
    ) throws(AdmissionRulesError) {
        let prefix = String(identifier.prefix(2))
        switch type {
        case .invalidation:
            guard prefix == "IR" else { throw AdmissionRulesError(.invalidIdentifier, "an invalidation rule's Identifier must start with IR") }
        case .acceptance:
            guard prefix != "IR" else { throw AdmissionRulesError(.invalidIdentifier, "an acceptance rule's Identifier must not start with IR") }
            guard prefix == certificateType.identifierPrefix else {
                throw AdmissionRulesError(.invalidIdentifier, "Identifier must start with \(certificateType.identifierPrefix) for \(certificateType.rawValue) rules")
            }
        }
        guard identifier.dropFirst(3).prefix(2) == country else {
            throw AdmissionRulesError(.invalidIdentifier, "the country in Identifier is not Country")
        }
    }

    /// The EU tooling's check: the declared fields equal the `payload.` paths the logic reads.
    func checkAffectedFields() throws(AdmissionRulesError) {
        let prefix = "payload."
        let read = Set(logic.dataPaths.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
        let declared = Set(affectedFields)
        if let missing = read.subtracting(declared).sorted().first {
            throw AdmissionRulesError(.affectedFieldsMismatch, "the logic reads \(quoted(missing)), which AffectedFields does not list")
        }
        if let extra = declared.subtracting(read).sorted().first {
            throw AdmissionRulesError(.affectedFieldsMismatch, "AffectedFields lists \(quoted(extra)), which the logic does not read")
        }
    }
}
