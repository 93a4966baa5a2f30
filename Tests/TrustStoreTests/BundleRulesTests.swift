import AdmissionRules
import Foundation
import GateCheckCrypto
import HealthCredentials
import JSON
import Testing
@testable import TrustStore

/// Rules and value sets in a bundle: validated again on import, so a bundle whose rules a device
/// would refuse — even one signed by the right key — never replaces the installed trust.
@Suite("Admission rules in trust bundles")
struct BundleRulesTests {
    static let rule: JSONValue = [
        "Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0",
        "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
        "Description": [["lang": "en", "desc": "The vaccination schedule must be complete."]],
        "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z", "AffectedFields": ["v.0.mp"],
        "Logic": ["in": [["var": "payload.v.0.mp"], ["var": "external.valueSets.vaccines-covid-19-names"]]],
    ]
    static let valueSets: JSONValue = ["vaccines-covid-19-names": ["EU/1/20/1528"]]

    /// A bundle signed by the good key over whatever sections it is given, valid or not.
    static func signedBundle(sequence: UInt64, extra: [(BundleSection, [UInt8])]) throws -> [UInt8] {
        let sections = TSFixture.sections(try TSFixture.bundle(sequence: sequence)).filter { $0.0 != .manifest && $0.0 != .signature } + extra
        let issuedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3_600).rounded(.down))
        let manifest = BundleManifest(
            format: BundleManifest.currentFormat, sequence: sequence, issuedAt: issuedAt, notAfter: issuedAt.addingTimeInterval(30 * 86_400),
            producer: "gatecheck-tests",
            files: sections.map { BundleManifest.File(name: $0.0.rawValue, length: $0.1.count, sha256: TrustBundleBuilder.hex(Digest.sha256($0.1))) }
        ).encoded()
        let signature = try CMSSignature.sign(manifest, key: TSPKI.shared.signingKey, certificate: TSPKI.shared.signingCertificate)
        return BundleLayout.encode([(.manifest, manifest), (.signature, signature)] + sections)
    }

    @Test func rulesAndValueSetsRoundTripThroughImport() throws {
        let installed = try BundleRejectionTests.Installed()
        let path = try installed.offer("rules.bundle", try Self.signedBundle(sequence: 6, extra: [
            (.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, JSONWriter.bytes([Self.rule])),
        ]))
        try installed.store.install(from: path, anchors: TSPKI.shared.anchors, now: Date())
        let trust = try installed.store.load(anchors: TSPKI.shared.anchors)
        #expect(trust.bundle.rules?.rules.map(\.identifier) == ["VR-XX-0001"])
        #expect(trust.bundle.valueSets?.names == ["vaccines-covid-19-names"])
    }

    @Test func aSignedBundleWithABadRuleIsRefusedAndChangesNothing() throws {
        let installed = try BundleRejectionTests.Installed()
        var unknownOperation = Self.rule
        unknownOperation = .object(JSONObject(unknownOperation.object!.map { ($0.name, $0.name == "Logic" ? ["eval": ["x"]] : $0.value) }))
        var undeclaredField = Self.rule
        undeclaredField = .object(JSONObject(undeclaredField.object!.map { ($0.name, $0.name == "AffectedFields" ? ["v.0"] : $0.value) }))
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let cases: [(String, [(BundleSection, [UInt8])])] = [
            ("unknown operation", [(.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, JSONWriter.bytes([unknownOperation]))]),
            ("AffectedFields", [(.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, JSONWriter.bytes([undeclaredField]))]),
            ("rules without value sets", [(.rules, JSONWriter.bytes([Self.rule]))]),
            ("a value set the rule reads is missing", [(.valueSets, Array(#"{"other": []}"#.utf8)), (.rules, JSONWriter.bytes([Self.rule]))]),
            ("nesting 200 deep", [(.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, Array(deep.utf8))]),
            ("not JSON", [(.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, Array("[{".utf8))]),
            ("the same rule twice", [(.valueSets, JSONWriter.bytes(Self.valueSets)), (.rules, JSONWriter.bytes([Self.rule, Self.rule]))]),
        ]
        for (index, (label, extra)) in cases.enumerated() {
            let path = try installed.offer("bad\(index).bundle", try Self.signedBundle(sequence: 6, extra: extra))
            try installed.expectRefusal(path, .badContents, label)
        }
    }
}
