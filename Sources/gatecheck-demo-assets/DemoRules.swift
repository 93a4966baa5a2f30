import AdmissionRules
import Foundation
import JSON

/// The demo bundle's admission rules: a small rule set of the demo country, in the EU gateway's format,
/// so `gatecheckd --demo` shows a pass meaning "admit here" and an authentic credential being refused.
///
/// The gate needs an acceptance rule for every certificate type it is to admit (else `rules-missing`):
/// the demo's passing frames are a vaccination and a test, so there is one rule for each.
enum DemoRules {
    /// The rules apply from the demo certificates' start until the bundle goes stale.
    static let validFrom = DemoPKI.validFrom
    static let validTo = DemoGenerator.bundleNotAfter

    /// The vaccination rule the incomplete-vaccination frame fails.
    static let completeVaccination = "VR-\(DemoPKI.country)-0001"
    static let negativeTest = "TR-\(DemoPKI.country)-0001"
    /// The value set the test rule reads, as the EU publishes it (SNOMED CT: not detected, detected).
    static let labResults = "covid-19-lab-result"
    static let notDetected = "260415000"
    static let detected = "260373001"

    /// Validated as a device validates them on import, so a broken demo rule stops the generator.
    static func ruleSet() throws -> RuleSet {
        try RuleSet(rules: [
            rule(
                completeVaccination, certificateType: "Vaccination",
                description: "The vaccination series must be complete: dose number at least the total doses (dn >= sd).",
                affectedFields: ["v.0", "v.0.dn", "v.0.sd"],
                logic: ["if": [["var": "payload.v.0"], [">=": [["var": "payload.v.0.dn"], ["var": "payload.v.0.sd"]]], true]]),
            rule(
                negativeTest, certificateType: "Test",
                description: "The test result must be a known result code and not detected (negative).",
                affectedFields: ["t.0", "t.0.tr"],
                logic: [
                    "if": [
                        ["var": "payload.t.0"],
                        [
                            "and": [
                                ["in": [["var": "payload.t.0.tr"], ["var": .string("external.valueSets." + labResults)]]],
                                ["===": [["var": "payload.t.0.tr"], .string(notDetected)]],
                            ]
                        ],
                        true,
                    ]
                ]),
        ].map { try ValidationRule(json: $0) })
    }

    /// The value sets the rules read, in the rules' compressed form.
    static func valueSets() throws -> ValueSets {
        try ValueSets(json: [labResults: [.string(detected), .string(notDetected)]])
    }

    private static func rule(
        _ identifier: String, certificateType: String, description: String, affectedFields: [String], logic: JSONValue
    ) -> JSONValue {
        [
            "Identifier": .string(identifier),
            "Type": "Acceptance",
            "Country": .string(DemoPKI.country),
            "Version": "1.0.0",
            "SchemaVersion": "1.0.0",
            "Engine": "CERTLOGIC",
            "EngineVersion": "1.0.0",
            "CertificateType": .string(certificateType),
            "Description": [["lang": "en", "desc": .string(description)]],
            "ValidFrom": .string(gatewayTimestamp(validFrom)),
            "ValidTo": .string(gatewayTimestamp(validTo)),
            "AffectedFields": .array(affectedFields.map { .string($0) }),
            "Logic": logic,
        ]
    }

    /// `2036-01-01T00:00:00Z`: ISO 8601 with an offset and no fraction, as the gateway wants it.
    private static func gatewayTimestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
