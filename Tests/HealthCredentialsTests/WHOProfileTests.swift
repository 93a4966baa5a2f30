import CBOR
import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// HC1 credentials whose `hcert` claim holds a WHO profile (DVC −6, DDCC:VS 3, DDCC:TR 4), made in code.
@Suite("WHO HCERT profiles") struct WHOProfileTests {
    static let issuer = Issuers.es256
    let verifier = HC1Verifier(trustList: Self.issuer.trustList)
    let context = VerificationContext(now: WHOTestCredentials.validAt)

    func verify(_ claims: CBORValue, at now: Date = WHOTestCredentials.validAt, issuer: TestIssuer = Self.issuer) throws -> VerificationReport {
        HC1Verifier(trustList: issuer.trustList).verify(payload: try issuer.hc1(claims: claims), in: VerificationContext(now: now))
    }

    @Test("a DVC made in code passes as who-dvc, a vaccination, without the rules and revocation steps")
    func dvcPasses() throws {
        let report = try verify(WHOTestCredentials.dvc())
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.format == .hc1)
        #expect(report.profile == .whoDVC)
        #expect(report.type == .vaccination)
        #expect(report.issuer == "XX")
        #expect(report.holder?.familyName == "Test Holder")
        #expect(report.holder?.dateOfBirth == "1990-01-01")
        #expect(report.checkedSteps == VerificationStep.allCases.filter { $0 != .rules && $0 != .revocation })
        #expect(report.steps[.rules] == nil && report.steps[.revocation] == nil)
    }

    @Test("the DVC validity period: vls after now is not yet valid, vle before today expired, vle today still valid")
    func dvcValidityPeriod() throws {
        let notYet = try verify(WHOTestCredentials.dvc(validFrom: "2024-09-02"))
        #expect(notYet.outcome(of: .content) == .failed(CredentialError(.vaccinationNotYetValid, "")))
        #expect(notYet.failure?.code == .vaccinationNotYetValid)
        let expired = try verify(WHOTestCredentials.dvc(validUntil: "2024-08-31"))
        #expect(expired.failure?.code == .vaccinationExpired)
        #expect(expired.verdict == .fail)
        let lastDay = try verify(WHOTestCredentials.dvc(validUntil: "2024-09-01"), at: WHOTestCredentials.validAt.addingTimeInterval(86_399))
        #expect(lastDay.verdict == .pass, "\(lastDay.steps)")
        let firstDay = try verify(WHOTestCredentials.dvc(validFrom: "2024-09-01"))
        #expect(firstDay.verdict == .pass, "\(firstDay.steps)")
        let open = try verify(WHOTestCredentials.dvc(validFrom: nil, validUntil: nil))
        #expect(open.verdict == .pass, "\(open.steps)")
    }

    @Test("exp is optional for WHO profiles, but checked when present; iat in the future still fails")
    func tokenValidity() throws {
        let expired = try verify(WHOTestCredentials.claims([(-6, WHOTestCredentials.dvcEntry())], expiresAt: Date(timeIntervalSince1970: 1_725_000_000)))
        #expect(expired.failure?.code == .expired)
        let early = try verify(WHOTestCredentials.dvc(), at: Date(timeIntervalSince1970: 1_720_000_000))
        #expect(early.failure?.code == .issuedInFuture)
    }

    @Test("DDCC:VS and DDCC:TR are detected by their key and typed as vaccination and test")
    func ddccProfiles() throws {
        let vs = try verify(WHOTestCredentials.claims([(3, WHOTestCredentials.ddccVSEntry())]))
        #expect(vs.profile == .whoDDCCVS)
        #expect(vs.type == .vaccination)
        #expect(vs.verdict == .pass, "\(vs.steps)")
        let tr = try verify(WHOTestCredentials.claims([(4, WHOTestCredentials.ddccTREntry())]))
        #expect(tr.profile == .whoDDCCTR)
        #expect(tr.type == .test)
        #expect(tr.verdict == .pass, "\(tr.steps)")
        // The DDCC:VS certificate period is its validity period.
        let late = try verify(WHOTestCredentials.claims([(3, WHOTestCredentials.ddccVSEntry(validUntil: "2024-08-31"))]))
        #expect(late.failure?.code == .vaccinationExpired)
    }

    @Test("an EU DCC entry wins over a WHO entry beside it; two WHO entries, or only a SMART Health Link, are refused")
    func profilePrecedence() throws {
        let eu = TestCredential(type: .vaccination)
        let both = WHOTestCredentials.claims([(1, eu.payload), (-6, WHOTestCredentials.dvcEntry())], expiresAt: Date(timeIntervalSince1970: 1_900_000_000))
        let report = try verify(both)
        #expect(report.profile == .euDCC)
        #expect(report.checkedSteps == VerificationStep.allCases)
        #expect(report.outcome(of: .schema) == .ok)

        let twoWHO = try verify(WHOTestCredentials.claims([(-6, WHOTestCredentials.dvcEntry()), (3, WHOTestCredentials.ddccVSEntry())]))
        #expect(twoWHO.failure?.code == .badCWT)
        #expect(twoWHO.profile == nil)
        let link = try verify(WHOTestCredentials.claims([(5, .text("shlink:/abc"))]))
        #expect(link.failure?.code == .badCWT)
        let nothing = try verify(WHOTestCredentials.claims([(7, .text("x"))]))
        #expect(nothing.failure?.code == .badCWT)
    }

    @Test("schema violations name the member, never its value", arguments: [
        ("n", CBORValue.integer(5)), ("dob", .text("01/01/1990")), ("v", .text("yellow fever")), ("v", .array([])),
    ])
    func dvcSchemaViolations(member: String, value: CBORValue) throws {
        let entry = WHOTestCredentials.dvcEntry()
        let changed = CBORValue.map((entry.mapEntries ?? []).map { ($0.key, $0.key.string == member ? value : $0.value) })
        let report = try verify(WHOTestCredentials.claims([(-6, changed)]))
        #expect(report.outcome(of: .schema).error?.code == .schemaViolation)
        #expect(report.holder == nil)
        let detail = report.failure?.detail ?? ""
        #expect(!detail.contains("Test Holder") && !detail.contains("1990"))
    }

    @Test("required DVC members are required", arguments: ["n", "dob", "v"])
    func dvcRequiredMembers(member: String) throws {
        let entry = WHOTestCredentials.dvcEntry()
        let without = CBORValue.map((entry.mapEntries ?? []).filter { $0.key.string != member }.map { ($0.key, $0.value) })
        #expect(try verify(WHOTestCredentials.claims([(-6, without)])).failure?.code == .schemaViolation)
    }

    @Test("a vaccination DSC restricted by the DCC key usages may sign a DVC; a test-only DSC may not")
    func keyUsage() throws {
        let testOnly = try Issuers.make(extendedKeyUsageOIDs: TestIssuer.keyUsageOIDs(for: [.test]))
        #expect(try verify(WHOTestCredentials.dvc(), issuer: testOnly).failure?.code == .keyUsageMismatch)
        let vaccination = try Issuers.make(extendedKeyUsageOIDs: TestIssuer.keyUsageOIDs(for: [.vaccination]))
        #expect(try verify(WHOTestCredentials.dvc(), issuer: vaccination).verdict == .pass)
        #expect(try verify(WHOTestCredentials.claims([(4, WHOTestCredentials.ddccTREntry())]), issuer: testOnly).verdict == .pass)
    }

    @Test("a DVC signed by another key fails with bad-signature, and its content is still checked")
    func wrongKey() throws {
        let payload = try Issuers.otherES256.hc1(claims: WHOTestCredentials.dvc(validUntil: "2024-01-02"), kidPlacement: .protectedOverride(Self.issuer.kid))
        let report = verifier.verify(payload: payload, in: context)
        #expect(report.failure?.code == .badSignature)
        #expect(report.outcome(of: .content).error?.code == .vaccinationExpired)
        #expect(report.profile == .whoDVC)
    }

    @Test("hostile DVC entries end in a verdict with a stable reason, never a crash")
    func hostileEntries() throws {
        let long = String(repeating: "x", count: 10_000)
        var deep = CBORValue.text("x")
        for _ in 0..<20 { deep = .map([(.text("v"), deep)]) }
        let entries: [CBORValue] = [
            .text("not a map"), .map([]), deep,
            .map([(.text("n"), .text(long)), (.text("dob"), .text("1990-01-01")), (.text("v"), .map([]))]),
            .map([(.text("n"), .map([])), (.text("dob"), .integer(19_900_101))]),
            .map([(.text("n"), .text("A")), (.text("dob"), .text("1990-13-45")), (.text("v"), .array([.map([]), .map([])]))]),
            .map([(.text("n"), .text("A")), (.text("dob"), .text("1990-01-01")), (.text("v"), .array(Array(repeating: .integer(1), count: 1_000)))]),
        ]
        for entry in entries {
            let report = try verify(WHOTestCredentials.claims([(-6, entry)]))
            #expect(report.verdict == .fail)
            #expect([CredentialError.Code.schemaViolation, .badCBOR].contains(report.failure?.code ?? .other), "\(report.steps)")
        }
        let vle = WHOTestCredentials.dvcEntry(validFrom: "2024-02-01", validUntil: "2024-01-01")
        #expect(try verify(WHOTestCredentials.claims([(-6, vle)])).failure?.code == .schemaViolation)
    }
}
