import Foundation
@testable import HealthCredentials
import HealthCredentialsTesting
import Testing

/// The verdict rule and the `--json` line.
@Suite("VerificationReport")
struct VerificationReportTests {
    /// The seven steps of the issue 2 contract, with `trust` first and `revocation` last (issue 3).
    static let stepNames = [
        "trust", "decode", "signature", "keyUsage", "signerValidity", "tokenValidity", "schema", "content", "rules", "revocation",
    ]
    static let topLevelKeys = ["input", "format", "profile", "verdict", "reason", "steps", "kid", "issuer", "type"]

    static func allOK() -> [VerificationStep: StepOutcome] {
        Dictionary(uniqueKeysWithValues: VerificationStep.allCases.map { ($0, StepOutcome.ok) })
    }

    static func object(_ line: String) throws -> [String: Any] {
        #expect(!line.contains("\n"), "one line")
        let json = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(json as? [String: Any])
    }

    static func passingReport() throws -> VerificationReport {
        let issuer = Issuers.es256
        return HC1Verifier(trustList: issuer.trustList).verify(payload: try issuer.hc1(TestCredential()), in: VerificationContext(now: TestCredential.validAt))
    }

    @Test("the step names are those of the JSON contract")
    func stepNames() {
        #expect(VerificationStep.allCases.map(\.rawValue) == Self.stepNames)
    }

    @Test("all steps ok is a pass")
    func allOKPasses() {
        #expect(VerificationReport(format: .hc1, steps: Self.allOK()).verdict == .pass)
    }

    @Test("a skipped step makes the verdict fail, whichever step it is", arguments: VerificationStep.allCases.filter { $0 != .rules })
    func skippedFails(step: VerificationStep) {
        var steps = Self.allOK()
        steps[step] = .skipped
        let report = VerificationReport(format: .hc1, steps: steps)
        #expect(report.verdict == .fail)
        #expect(report.failure == nil)
        // A step missing from the dictionary counts as skipped.
        steps[step] = nil
        #expect(VerificationReport(format: .hc1, steps: steps).verdict == .fail)
        #expect(VerificationReport(format: .hc1, steps: steps).outcome(of: step) == .skipped)
    }

    @Test("a skipped rules step passes only when no rules were configured")
    func skippedRules() {
        var steps = Self.allOK()
        steps[.rules] = .skipped
        #expect(VerificationReport(format: .hc1, steps: steps).verdict == .pass)
        #expect(VerificationReport(format: .hc1, steps: steps, rulesRequired: true).verdict == .fail)
        steps[.rules] = nil
        #expect(VerificationReport(format: .hc1, steps: steps, rulesRequired: true).verdict == .fail)
        steps[.rules] = .failed(CredentialError(.ruleFailed, "x"))
        #expect(VerificationReport(format: .hc1, steps: steps).verdict == .fail)
    }

    @Test("a failed step makes the verdict fail, and the first failure in step order is the reason")
    func failureOrder() {
        var steps = Self.allOK()
        steps[.content] = .failed(CredentialError(.testDetected, "x"))
        steps[.keyUsage] = .failed(CredentialError(.keyUsageMismatch, "y"))
        let report = VerificationReport(format: .hc1, steps: steps)
        #expect(report.verdict == .fail)
        #expect(report.failure?.code == .keyUsageMismatch)
    }

    @Test("jsonLine has exactly the contract keys, in order, and round-trips through JSONSerialization")
    func jsonLinePass() throws {
        let issuer = Issuers.es256
        let report = try Self.passingReport()
        let line = report.jsonLine(input: "payload.txt")
        let object = try Self.object(line)
        #expect(Set(object.keys) == Set(Self.topLevelKeys))
        #expect(object.count == Self.topLevelKeys.count)
        #expect(object["input"] as? String == "payload.txt")
        #expect(object["format"] as? String == "hc1")
        #expect(object["verdict"] as? String == "pass")
        #expect(object["reason"] is NSNull)
        let steps = try #require(object["steps"] as? [String: String])
        #expect(Set(steps.keys) == Set(Self.stepNames))
        #expect(steps.filter { $0.key != "rules" }.values.allSatisfy { $0 == "ok" })
        #expect(steps["rules"] == "skipped", "no rules configured")
        #expect(object["kid"] as? String == Data(issuer.kid).base64EncodedString())
        #expect(object["issuer"] as? String == "XX")
        #expect(object["type"] as? String == "v")
        #expect(object["holder"] == nil)

        // Key order as documented: each key's first appearance comes after the previous one's.
        let positions = Self.topLevelKeys.map { line.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test("a failing report names its reason and failed steps")
    func jsonLineFail() throws {
        let issuer = Issuers.es256
        let report = HC1Verifier(trustList: .empty).verify(payload: try issuer.hc1(TestCredential(type: .recovery)), in: VerificationContext(now: TestCredential.validAt))
        let object = try Self.object(report.jsonLine(input: "-"))
        #expect(object["verdict"] as? String == "fail")
        #expect(object["reason"] as? String == "unknown-signer")
        let steps = try #require(object["steps"] as? [String: String])
        #expect(steps["signature"] == "failed:unknown-signer")
        #expect(steps["keyUsage"] == "skipped")
        #expect(object["type"] as? String == "r")

        let decode = VerificationReport(decodeFailure: CredentialError(.badPrefix, "x"), in: VerificationContext(now: Date()))
        let decodeObject = try Self.object(decode.jsonLine(input: "x"))
        #expect(decodeObject["kid"] is NSNull)
        #expect(decodeObject["issuer"] is NSNull)
        #expect(decodeObject["type"] is NSNull)
        #expect(decodeObject["reason"] as? String == "bad-prefix")
        #expect(Set(decodeObject.keys) == Set(Self.topLevelKeys))
    }

    @Test("holder appears only with includeHolder")
    func holderOnRequest() throws {
        let report = try Self.passingReport()
        let with = try Self.object(report.jsonLine(input: "x", includeHolder: true))
        #expect(Set(with.keys) == Set(Self.topLevelKeys + ["holder"]))
        let holder = try #require(with["holder"] as? [String: Any])
        #expect(holder["familyName"] as? String == HolderData.familyName)
        #expect(holder["familyNameTransliterated"] as? String == HolderData.familyNameTransliterated)
        #expect(holder["givenName"] as? String == HolderData.givenName)
        #expect(holder["dateOfBirth"] as? String == HolderData.dateOfBirth)

        let without = try Self.object(report.jsonLine(input: "x", includeHolder: false))
        #expect(without["holder"] == nil)
        let byDefault = try Self.object(report.jsonLine(input: "x"))
        #expect(byDefault["holder"] == nil)

        // No holder to show: the key is present but null.
        let decode = VerificationReport(decodeFailure: CredentialError(.badPrefix, "x"), in: VerificationContext(now: Date()))
        #expect(try Self.object(decode.jsonLine(input: "x", includeHolder: true))["holder"] is NSNull)
    }

    @Test(
        "input strings are escaped so that they round-trip",
        arguments: ["plain", "with \"quotes\"", "back\\slash", "line\nbreak\r\ttab", "\u{1}\u{1F}control", "Nguyễn 🙂", "</script>", ""]
    )
    func escaping(input: String) throws {
        let report = VerificationReport(decodeFailure: CredentialError(.unreadableInput, "x"), in: VerificationContext(now: Date()))
        #expect(try Self.object(report.jsonLine(input: input))["input"] as? String == input)
    }
}
