import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import JSON

/// Admission rules and value sets among `--trust` files, recognised by content:
///
/// | form | shape |
/// | --- | --- |
/// | a rule (`business-rules/<CC>/<ID>/rule.json`) | `{"Identifier", "Logic", …}` |
/// | an array of rules (a bundle's `rules` section, a verifier app's cache) | `[{"Identifier", "Logic", …}, …]` |
/// | the EU value sets, compressed (`valueSets.json`) | `{"<name>": ["<code>", …]}` |
/// | one value set as the gateway serves it (`GET /valuesets/<id>`) | `{"valueSetId", "valueSetDate", "valueSetValues": {"<code>": {…}}}` |
/// | the gateway's rules download (`GET /rules/<CC>`) | `{"<ID>": [{"version", "validFrom", "validTo", "cms"}]}` |
///
/// Every rule is validated as `--rules` validates it. The gateway's download carries each rule inside a CMS
/// SignedData by the uploading country's `UPLOAD` certificate; it is only accepted once that signature verifies
/// and the signer is an `UPLOAD` certificate of the rule's own `Country` in a gateway trust list given alongside.
public enum RuleSources {
    /// Bounds for one file: room for a country's whole rules download (base64 CMS strings of a few KiB each).
    static let jsonLimits = JSONLimits(maxBytes: TrustLoader.maximumFileSize, maxDepth: 64, maxItems: 4_000_000, maxStringLength: 4 << 20)
    /// Largest single signed rule; rules are a few KiB.
    static let maximumSignedRuleSize = 1 << 20

    /// What a JSON file is, when it is one of the forms above.
    public enum Form: Sendable, Equatable {
        case rule, rules, valueSets, gatewayValueSet, gatewayRuleDownload
    }

    public static func form(of json: JSONValue) -> Form? {
        func isRule(_ json: JSONValue) -> Bool { json["Identifier"]?.string != nil && json["Logic"] != nil }
        if let items = json.array, !items.isEmpty, items.allSatisfy(isRule) { return .rules }
        guard let object = json.object, !object.isEmpty else { return nil }
        if isRule(json) { return .rule }
        if json["valueSetId"]?.string != nil, json["valueSetValues"]?.object != nil { return .gatewayValueSet }
        if object.allSatisfy({ $0.value.array?.allSatisfy({ $0.string != nil }) == true }) { return .valueSets }
        let isDownload = object.allSatisfy { member in
            member.value.array?.allSatisfy { $0["cms"]?.string != nil && $0["version"]?.string != nil } == true
        }
        return isDownload ? .gatewayRuleDownload : nil
    }

    /// The JSON of a file, or nil when it does not parse (then it is some other format).
    static func json(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits)
    }

    public static func rule(_ json: JSONValue, path: String) throws(TrustSourceError) -> ValidationRule {
        do {
            return try ValidationRule(json: json)
        } catch {
            throw TrustSourceError(.badRule, path: path, error.description)
        }
    }

    /// Value sets by name, from either value-set form.
    public static func valueSets(_ json: JSONValue, form: Form, path: String) throws(TrustSourceError) -> [(name: String, codes: JSONValue)] {
        if form == .gatewayValueSet, let name = json["valueSetId"]?.string, let values = json["valueSetValues"]?.object {
            return [(name, .array(values.names.map { .string($0) }))]
        }
        do {
            return (try ValueSets(json: json).json.object ?? JSONObject()).map { ($0.name, $0.value) }
        } catch {
            throw TrustSourceError(.badRule, path: path, error.description)
        }
    }

    /// The rules of a gateway rules download, each after its CMS signature verified and its signer was found among
    /// `uploadCertificates` under the rule's own country.
    public static func gatewayRules(
        _ json: JSONValue, uploadCertificates: [(country: String, certificate: Certificate)], path: String
    ) throws(TrustSourceError) -> [ValidationRule] {
        var rules: [ValidationRule] = []
        for (identifier, versions) in json.object ?? JSONObject() {
            for entry in versions.array ?? [] {
                let name = "\(identifier) \(entry["version"]?.string ?? "?")"
                guard let cms = entry["cms"]?.string.flatMap({ Data(base64Encoded: $0) }) else {
                    throw TrustSourceError(.badRule, path: path, "\(name): cms is not base64")
                }
                let verified: (content: [UInt8], signer: Certificate)
                do {
                    verified = try SignedContentMessage.verifiedContent(
                        of: Array(cms), contentType: SignedContentMessage.dataContentTypeOID, maxSize: maximumSignedRuleSize, what: "signed rule")
                } catch {
                    throw TrustSourceError(.listRefused, path: path, "\(name): \(error)")
                }
                guard let ruleJSON = try? JSONParser.parse(skippingByteOrderMark: verified.content, limits: jsonLimits) else {
                    throw TrustSourceError(.badRule, path: path, "\(name): the signed content is not JSON")
                }
                let rule = try self.rule(ruleJSON, path: path)
                guard rule.identifier == identifier, rule.version.description == entry["version"]?.string else {
                    throw TrustSourceError(.badRule, path: path, "\(name): the signed rule is \(rule.identifier) \(rule.version)")
                }
                let signerFingerprint = verified.signer.sha256Fingerprint
                guard uploadCertificates.contains(where: { $0.country == rule.country && $0.certificate.sha256Fingerprint == signerFingerprint }) else {
                    throw TrustSourceError(
                        .listRefused, path: path,
                        "\(name): not signed by an UPLOAD certificate of \(rule.country) in a gateway trust list given with --trust")
                }
                rules.append(rule)
            }
        }
        return rules
    }
}
