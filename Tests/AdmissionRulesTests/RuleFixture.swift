import AdmissionRules
import Foundation
import JSON

/// Rules and credentials made in code for the tests.
enum RuleFixture {
    /// A full-schedule vaccination check that reads `v.0`, `v.0.dn` and `v.0.sd`.
    static let doseLogic: JSONValue = [
        "if": [["var": "payload.v.0"], [">=": [["var": "payload.v.0.dn"], ["var": "payload.v.0.sd"]]], true],
    ]
    static let doseFields: [String] = ["v.0", "v.0.dn", "v.0.sd"]

    /// A valid rule's JSON; every argument names one member.
    static func json(
        _ identifier: String = "VR-DE-0001", type: String = "Acceptance", country: String? = nil, version: String = "1.0.0",
        certificateType: String? = nil, validFrom: String = "2021-07-01T00:00:00Z", validTo: String = "2030-06-01T00:00:00Z",
        region: String? = nil, logic: JSONValue = doseLogic, affectedFields: [String] = doseFields
    ) -> JSONValue {
        let prefixTypes = ["GR": "General", "VR": "Vaccination", "TR": "Test", "RR": "Recovery", "IR": "General"]
        var members: [(String, JSONValue)] = [
            ("Identifier", .string(identifier)),
            ("Type", .string(type)),
            ("Country", .string(country ?? String(identifier.dropFirst(3).prefix(2)))),
            ("Version", .string(version)),
            ("SchemaVersion", "1.0.0"),
            ("Engine", "CERTLOGIC"),
            ("EngineVersion", "0.7.5"),
            ("CertificateType", .string(certificateType ?? prefixTypes[String(identifier.prefix(2))] ?? "General")),
            ("Description", [["lang": "en", "desc": "A rule made in code for the tests."]]),
            ("ValidFrom", .string(validFrom)),
            ("ValidTo", .string(validTo)),
            ("AffectedFields", .array(affectedFields.map { .string($0) })),
            ("Logic", logic),
        ]
        if let region { members.append(("Region", .string(region))) }
        return .object(members)
    }

    static func rule(
        _ identifier: String = "VR-DE-0001", type: String = "Acceptance", version: String = "1.0.0",
        validFrom: String = "2021-07-01T00:00:00Z", validTo: String = "2030-06-01T00:00:00Z", region: String? = nil,
        certificateType: String? = nil, logic: JSONValue = doseLogic, affectedFields: [String] = doseFields
    ) throws -> ValidationRule {
        try ValidationRule(json: json(
            identifier, type: type, version: version, certificateType: certificateType, validFrom: validFrom, validTo: validTo,
            region: region, logic: logic, affectedFields: affectedFields))
    }

    /// `json` with member `name` replaced (or removed, for nil).
    static func with(_ json: JSONValue, _ name: String, _ value: JSONValue?) -> JSONValue {
        var object = json.object ?? JSONObject()
        object[name] = value
        return .object(object)
    }

    /// A UTC instant.
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    /// A minimal vaccination payload: dose `dn` of `sd`.
    static func vaccination(dose: Int, of series: Int, version: String = "1.3.0") -> JSONValue {
        ["ver": .string(version), "v": [["dn": .integer(dose), "sd": .integer(series)]]]
    }

    static func external(clock: String = "2022-06-01T12:00:00Z") -> ExternalParameters {
        ExternalParameters(valueSets: .empty, validationClock: date(clock), countryCode: "DE", issuerCountryCode: "AT")
    }
}
