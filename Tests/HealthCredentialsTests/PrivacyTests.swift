import CBOR
import Foundation
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// Personal data (names, date of birth) must never reach a description, an error or a default JSON line.
@Suite("Privacy")
struct PrivacyTests {
    static let context = VerificationContext(now: TestCredential.validAt)

    /// Reports that carry the test holder, passing and failing.
    static func reports() throws -> [VerificationReport] {
        let issuer = Issuers.es256
        let verifier = HC1Verifier(trustList: issuer.trustList)
        var reports = [verifier.verify(payload: try issuer.hc1(TestCredential()), in: context)]
        reports.append(verifier.verify(payload: try issuer.hc1(TestCredential(), corruptSignature: true), in: context))
        reports.append(verifier.verify(payload: try issuer.hc1(TestCredential(type: .test)), in: VerificationContext(now: utc(2021, 1, 1))))
        reports.append(HC1Verifier(trustList: .empty).verify(payload: try issuer.hc1(TestCredential()), in: context))
        return reports
    }

    @Test("the reports under test really hold the holder (so the checks below can fail)")
    func positiveControl() throws {
        for report in try Self.reports() {
            let holder = try #require(report.holder)
            #expect(holder.familyName == HolderData.familyName)
            #expect(holder.dateOfBirth == HolderData.dateOfBirth)
            #expect(HolderData.leaked(in: report.jsonLine(input: "x", includeHolder: true)) != nil)
        }
    }

    @Test("report descriptions and default JSON lines carry no personal data")
    func reports() throws {
        for report in try Self.reports() {
            for text in ["\(report)", String(describing: report), String(reflecting: report), report.jsonLine(input: "x"),
                         report.jsonLine(input: "x", includeHolder: false), "\(report.steps)", "\(report.failure as Any)"] {
                #expect(HolderData.leaked(in: text) == nil, "\(text)")
            }
        }
    }

    @Test("Holder descriptions are redacted")
    func holder() throws {
        let holder = try #require(try Self.reports()[0].holder)
        let certificate = try DCCSchema.validate(TestCredential.payload(type: .vaccination), at: Self.context.now)
        for text in ["\(holder)", String(describing: holder), String(reflecting: holder), "\([holder])", "\(Optional(holder) as Any)",
                     "\(certificate)", String(reflecting: certificate)] {
            #expect(HolderData.leaked(in: text) == nil, "\(text)")
        }
    }

    @Test("dump and Mirror of a holder or a report reveal no personal data")
    func reflection() throws {
        let report = try Self.reports()[0]
        let holder = try #require(report.holder)
        var dumped = ""
        dump(holder, to: &dumped)
        dump(report, to: &dumped)
        #expect(HolderData.leaked(in: dumped) == nil, "dump() prints the holder's stored properties")
        let children = Mirror(reflecting: holder).children.map { "\($0.value)" }.joined(separator: " ")
        #expect(HolderData.leaked(in: children) == nil, "Mirror exposes the holder's stored properties")
    }

    @Test("schema errors about names and dates of birth do not quote them")
    func schemaErrors() {
        let payload = TestCredential.payload(type: .vaccination)
        let name = payload["nam"]!
        let variants: [(CBORValue, [String])] = [
            (payload.setting("nam", to: name.setting("fnt", to: .text("Testperson"))), ["Testperson"]),
            (payload.setting("nam", to: name.setting("gnt", to: .text("Anna"))), ["Anna"]),
            (payload.setting("nam", to: name.setting("gnt", to: nil)), []),
            (payload.setting("nam", to: name.setting("fnt", to: .text(String(repeating: "TESTPERSON", count: 9)))), []),
            (payload.setting("nam", to: name.setting("fn", to: .text(String(repeating: "Testperson", count: 9)))), []),
            (payload.setting("dob", to: .text("1815-08-24")), ["1815-08-24"]),
            (payload.setting("dob", to: .text("2099-01-01")), ["2099-01-01"]),
            (payload.setting("dob", to: .integer(19_800_101)), ["19800101"]),
        ]
        for (variant, extra) in variants {
            let error = credentialError { try DCCSchema.validate(variant, at: Self.context.now) }
            #expect(error?.code == .schemaViolation)
            for text in [error?.description ?? "", error?.detail ?? "", String(reflecting: error as Any)] {
                #expect(HolderData.leaked(in: text) == nil, "\(text)")
                for value in extra { #expect(!text.contains(value), "\(text)") }
            }
        }
    }

    @Test("verification with a schema failure does not leak the names into the report")
    func schemaFailureReport() throws {
        var credential = TestCredential()
        credential.payload = credential.payload.setting("dob", to: .text("1815-08-24"))
        let report = HC1Verifier(trustList: Issuers.es256.trustList).verify(payload: try Issuers.es256.hc1(credential), in: Self.context)
        #expect(report.verdict == .fail)
        for text in ["\(report)", report.jsonLine(input: "x"), report.failure?.description ?? ""] {
            #expect(HolderData.leaked(in: text) == nil, "\(text)")
            #expect(!text.contains("1815-08-24"), "\(text)")
        }
    }
}
