import CBOR
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// A decoded candidate for policy tests: the message signed by `issuer`, its claims, and optionally the
/// signer and the schema-validated certificate.
func candidate(
    _ credential: TestCredential = TestCredential(), issuer: TestIssuer = Issuers.es256,
    withSigner: Bool = true, withCertificate: Bool = true
) throws -> DecodedCredential {
    let message = try COSESign1(decoding: try issuer.coseSign1(claims: credential.claims))
    let claims = try CWTClaims(decoding: message.payload)
    let certificate = withCertificate ? try DCCSchema.validate(claims.healthCertificate, at: TestCredential.validAt) : nil
    return DecodedCredential(message: message, claims: claims, signer: withSigner ? issuer.signer : nil, certificate: certificate)
}

@Suite("SignerValidityPolicy")
struct SignerValidityPolicyTests {
    static let notBefore = utc(2021, 1, 1)
    static let notAfter = utc(2023, 1, 1)
    static let issuer = try! Issuers.make(notBefore: notBefore, notAfter: notAfter)

    static func outcome(at now: Date) throws -> StepOutcome {
        SignerValidityPolicy().evaluate(try candidate(issuer: issuer), in: VerificationContext(now: now))
    }

    @Test("before notBefore: signer-not-yet-valid")
    func before() throws {
        #expect(try Self.outcome(at: Self.notBefore.addingTimeInterval(-1)).error?.code == .signerNotYetValid)
        #expect(try Self.outcome(at: utc(2020, 6, 1)).error?.code == .signerNotYetValid)
    }

    @Test("after notAfter: signer-expired")
    func after() throws {
        #expect(try Self.outcome(at: Self.notAfter.addingTimeInterval(1)).error?.code == .signerExpired)
        #expect(try Self.outcome(at: utc(2030, 1, 1)).error?.code == .signerExpired)
    }

    @Test("inside the validity period, bounds included: ok")
    func inside() throws {
        for now in [Self.notBefore, utc(2022, 1, 1), Self.notAfter] {
            #expect(try Self.outcome(at: now) == .ok, "\(now)")
        }
    }

    @Test("without a signer the step is skipped")
    func noSigner() throws {
        let outcome = SignerValidityPolicy().evaluate(
            try candidate(issuer: Self.issuer, withSigner: false), in: VerificationContext(now: utc(2022, 1, 1))
        )
        #expect(outcome == .skipped)
    }
}

@Suite("TokenValidityPolicy")
struct TokenValidityPolicyTests {
    static let issuedAt = utc(2022, 4, 15, 12)
    static let expiresAt = utc(2022, 10, 15, 12)

    static func outcome(at now: Date, clockSkew: TimeInterval = VerificationContext.defaultClockSkew, issuedAt: Date? = issuedAt, expiresAt: Date? = expiresAt) throws -> StepOutcome {
        var credential = TestCredential()
        credential.issuedAt = issuedAt
        credential.expiresAt = expiresAt
        return TokenValidityPolicy().evaluate(try candidate(credential), in: VerificationContext(now: now, clockSkew: clockSkew))
    }

    @Test("iat later than now by more than the clock skew: issued-in-future")
    func issuedInFuture() throws {
        let skew = VerificationContext.defaultClockSkew
        #expect(try Self.outcome(at: Self.issuedAt.addingTimeInterval(-skew - 1)).error?.code == .issuedInFuture)
        #expect(try Self.outcome(at: utc(2022, 1, 1)).error?.code == .issuedInFuture)
        #expect(try Self.outcome(at: Self.issuedAt.addingTimeInterval(-1), clockSkew: 0).error?.code == .issuedInFuture)
    }

    @Test("iat later than now but within the clock skew: ok")
    func withinSkew() throws {
        let skew = VerificationContext.defaultClockSkew
        #expect(try Self.outcome(at: Self.issuedAt.addingTimeInterval(-skew + 1)) == .ok)
        #expect(try Self.outcome(at: Self.issuedAt.addingTimeInterval(-skew)) == .ok)
        #expect(try Self.outcome(at: Self.issuedAt.addingTimeInterval(-59), clockSkew: 60) == .ok)
        #expect(try Self.outcome(at: Self.issuedAt) == .ok)
    }

    @Test("now after exp: expired; exactly exp is still valid")
    func expired() throws {
        #expect(try Self.outcome(at: Self.expiresAt.addingTimeInterval(1)).error?.code == .expired)
        #expect(try Self.outcome(at: utc(2023, 1, 1)).error?.code == .expired)
        #expect(try Self.outcome(at: Self.expiresAt) == .ok)
        // The clock skew is not applied to exp.
        #expect(try Self.outcome(at: Self.expiresAt.addingTimeInterval(60), clockSkew: 3600).error?.code == .expired)
    }

    @Test("missing iat or exp fails")
    func missing() throws {
        let now = utc(2022, 6, 1)
        #expect(try Self.outcome(at: now, issuedAt: nil).error?.code == .missingIssuedAt)
        #expect(try Self.outcome(at: now, expiresAt: nil).error?.code == .missingExpiry)
        let neither = try Self.outcome(at: now, issuedAt: nil, expiresAt: nil)
        #expect(neither.error != nil)
    }
}

@Suite("KeyUsagePolicy")
struct KeyUsagePolicyTests {
    /// The two DCC EKU arcs in circulation; the last component is 1 test, 2 vaccination, 3 recovery.
    static let arcs = ["1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1."]
    static func oid(_ arc: String, _ type: CertificateType) -> String {
        arc + ["t": "1", "v": "2", "r": "3"][type.rawValue]!
    }

    static func outcome(eku: [String]?, type: CertificateType) throws -> StepOutcome {
        let issuer = try Issuers.make(extendedKeyUsageOIDs: eku)
        #expect(issuer.certificate.extendedKeyUsageOIDs ?? [] == eku ?? [])
        let context = VerificationContext(now: TestCredential.validAt)
        return KeyUsagePolicy().evaluate(try candidate(TestCredential(type: type), issuer: issuer), in: context)
    }

    @Test("no EKU extension: every type is ok", arguments: CertificateType.allCases)
    func noEKU(type: CertificateType) throws {
        #expect(try Self.outcome(eku: nil, type: type) == .ok)
    }

    @Test("EKU for vaccination only: v ok, t and r key-usage-mismatch", arguments: arcs)
    func vaccinationOnly(arc: String) throws {
        let eku = [Self.oid(arc, .vaccination)]
        #expect(try Self.outcome(eku: eku, type: .vaccination) == .ok)
        #expect(try Self.outcome(eku: eku, type: .test).error?.code == .keyUsageMismatch)
        #expect(try Self.outcome(eku: eku, type: .recovery).error?.code == .keyUsageMismatch)
    }

    @Test("each type is allowed by its own OID in either arc", arguments: arcs, CertificateType.allCases)
    func eachType(arc: String, type: CertificateType) throws {
        #expect(try Self.outcome(eku: [Self.oid(arc, type)], type: type) == .ok)
        let others = CertificateType.allCases.filter { $0 != type }.map { Self.oid(arc, $0) }
        #expect(try Self.outcome(eku: others, type: type).error?.code == .keyUsageMismatch)
    }

    @Test("arcs can be mixed: test in one arc, vaccination in the other")
    func mixedArcs() throws {
        let eku = [Self.oid(Self.arcs[0], .test), Self.oid(Self.arcs[1], .vaccination)]
        #expect(try Self.outcome(eku: eku, type: .test) == .ok)
        #expect(try Self.outcome(eku: eku, type: .vaccination) == .ok)
        #expect(try Self.outcome(eku: eku, type: .recovery).error?.code == .keyUsageMismatch)
    }

    @Test("only non-DCC EKUs (TLS client, e-mail, ICAO doc signer): every type is ok", arguments: CertificateType.allCases)
    func nonDCCOnly(type: CertificateType) throws {
        #expect(try Self.outcome(eku: ["1.3.6.1.5.5.7.3.2"], type: type) == .ok)
        #expect(try Self.outcome(eku: ["1.3.6.1.5.5.7.3.4", "2.23.136.1.1.14.2"], type: type) == .ok)
    }

    @Test("a non-DCC EKU beside a DCC one does not widen it")
    func nonDCCBesideDCC() throws {
        let eku = ["1.3.6.1.5.5.7.3.2", Self.oid(Self.arcs[0], .test)]
        #expect(try Self.outcome(eku: eku, type: .vaccination).error?.code == .keyUsageMismatch)
        #expect(try Self.outcome(eku: eku, type: .test) == .ok)
    }

    @Test("without a signer the step is skipped")
    func noSigner() throws {
        let outcome = KeyUsagePolicy().evaluate(try candidate(withSigner: false), in: VerificationContext(now: TestCredential.validAt))
        #expect(outcome == .skipped)
    }

    @Test("the type comes from the payload's key even when the schema failed")
    func typeWithoutSchema() throws {
        let issuer = try Issuers.make(extendedKeyUsageOIDs: [Self.oid(Self.arcs[1], .vaccination)])
        var credential = TestCredential(type: .test)
        credential.payload = credential.payload.setting("ver", to: .text("9.9.9"))
        let subject = try candidate(credential, issuer: issuer, withCertificate: false)
        #expect(subject.type == .test)
        #expect(KeyUsagePolicy().evaluate(subject, in: VerificationContext(now: TestCredential.validAt)).error?.code == .keyUsageMismatch)
    }
}

@Suite("ContentPolicy")
struct ContentPolicyTests {
    static let sampleTime = utc(2022, 4, 14, 8)

    static func outcome(result: String = "260415000", sampleTime: String = "2022-04-14T08:00:00Z", at now: Date) throws -> StepOutcome {
        var entry = TestCredential.defaultEntry(.test)
        entry = entry.map { $0.0 == "tr" ? ($0.0, .text(result)) : $0.0 == "sc" ? ($0.0, .text(sampleTime)) : $0 }
        let credential = TestCredential(payload: TestCredential.payload(type: .test, entry: entry))
        return ContentPolicy().evaluate(try candidate(credential), in: VerificationContext(now: now))
    }

    @Test("a negative test (260415000, not detected) is ok")
    func notDetected() throws {
        #expect(try Self.outcome(at: utc(2022, 4, 15)) == .ok)
    }

    @Test("a positive test (260373001, detected) is test-detected", arguments: ["260373001", "", "260415001", "positive"])
    func detected(result: String) throws {
        #expect(try Self.outcome(result: result, at: utc(2022, 4, 15)).error?.code == .testDetected)
    }

    @Test("a sample time in the future beyond the clock skew is sample-time-in-future")
    func sampleTimeInFuture() throws {
        let skew = VerificationContext.defaultClockSkew
        #expect(try Self.outcome(at: Self.sampleTime.addingTimeInterval(-skew - 1)).error?.code == .sampleTimeInFuture)
        #expect(try Self.outcome(at: utc(2022, 4, 13)).error?.code == .sampleTimeInFuture)
        // With an offset: 10:00+02:00 is 08:00Z.
        #expect(try Self.outcome(sampleTime: "2022-04-14T10:00:00+02:00", at: utc(2022, 4, 14, 7, 50)).error?.code == .sampleTimeInFuture)
        #expect(try Self.outcome(sampleTime: "2022-04-14T10:00:00+02:00", at: utc(2022, 4, 14, 8, 1)) == .ok)
    }

    @Test("a sample time within the clock skew is ok")
    func sampleTimeWithinSkew() throws {
        let skew = VerificationContext.defaultClockSkew
        #expect(try Self.outcome(at: Self.sampleTime.addingTimeInterval(-skew + 1)) == .ok)
        #expect(try Self.outcome(at: Self.sampleTime) == .ok)
    }

    @Test("a vaccination certificate has no content rules of its own")
    func vaccination() throws {
        let outcome = ContentPolicy().evaluate(try candidate(TestCredential(type: .vaccination)), in: VerificationContext(now: utc(2000, 1, 1)))
        #expect(outcome == .ok)
    }

    static func recoveryOutcome(validFrom: String = "2022-01-15", validUntil: String = "2022-06-30", at now: Date) throws -> StepOutcome {
        let entry = TestCredential.defaultEntry(.recovery).map {
            $0.0 == "df" ? ($0.0, .text(validFrom)) : $0.0 == "du" ? ($0.0, .text(validUntil)) : $0
        }
        let credential = TestCredential(payload: TestCredential.payload(type: .recovery, entry: entry))
        return ContentPolicy().evaluate(try candidate(credential), in: VerificationContext(now: now))
    }

    @Test("a recovery certificate is ok from the first moment of df to the last of du, whatever the rules")
    func recoveryWindow() throws {
        #expect(try Self.recoveryOutcome(at: utc(2022, 1, 15)) == .ok)
        #expect(try Self.recoveryOutcome(at: utc(2022, 3, 1)) == .ok)
        #expect(try Self.recoveryOutcome(at: utc(2022, 6, 30, 23, 59, 59)) == .ok)
        #expect(try Self.recoveryOutcome(at: utc(2022, 7, 1)).error?.code == .recoveryExpired)
        #expect(try Self.recoveryOutcome(at: utc(2023, 1, 1)).error?.code == .recoveryExpired)
        let skew = VerificationContext.defaultClockSkew
        #expect(try Self.recoveryOutcome(at: utc(2022, 1, 15).addingTimeInterval(-skew - 1)).error?.code == .recoveryNotYetValid)
        #expect(try Self.recoveryOutcome(at: utc(2021, 12, 1)).error?.code == .recoveryNotYetValid)
        // A date-time du counts as its day.
        #expect(try Self.recoveryOutcome(validUntil: "2022-06-30T00:00:00Z", at: utc(2022, 6, 30, 12)) == .ok)
    }

    @Test("without a validated certificate the step is skipped")
    func noCertificate() throws {
        let outcome = ContentPolicy().evaluate(
            try candidate(TestCredential(type: .test), withCertificate: false), in: VerificationContext(now: utc(2022, 4, 15))
        )
        #expect(outcome == .skipped)
    }
}
