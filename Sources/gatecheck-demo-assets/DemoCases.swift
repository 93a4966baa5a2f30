import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting

/// One demo frame: what its QR code holds and what the real verifier must decide about it.
struct DemoCase {
    let fileName: String
    let payload: String
    /// The first failing check's reason; nil for a frame that must pass.
    let expectedFailure: CredentialError.Code?
    /// Shown by `gatecheckd --demo` beside each decision.
    let description: String
    /// The admission rules it must fail, in evaluation order.
    var failedRules: [String] = []

    var verdict: String { expectedFailure == nil ? "pass" : "fail" }
    /// As `expected.tsv` spells it: the reason code, or `-` for a pass.
    var reason: String { expectedFailure?.description ?? "-" }
    /// As `expected.tsv` spells it: comma-separated rule identifiers, or `-` for none.
    var rules: String { failedRules.isEmpty ? "-" : failedRules.joined(separator: ",") }
}

/// The demo credentials. Each failing frame is built so that its intended reason is the FIRST
/// failing step of `HC1Verifier` (trust, decode, signature, key usage, signer validity, token
/// validity, schema, content, rules, revocation): everything else about it is valid.
struct DemoCases {
    static let validUntil = Date(timeIntervalSince1970: 2_082_758_400)  // 2036-01-01T00:00:00Z
    static let expiredIssuedAt = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
    static let expiredAt = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
    static let revokedUCI = uci(6)

    let pki: DemoPKI
    /// Issuance time of the current credentials: the generation day, so they are never "issued in the future"
    /// on a device whose clock is at or after the day the bundle was made.
    let issuedAt: Date

    func all() throws -> [DemoCase] {
        let issuer = pki.documentSigner
        return [
            DemoCase(
                fileName: "01-valid-vaccination.png",
                payload: try issuer.hc1(credential(.vaccination, number: 1, givenName: "Vaccinated")),
                expectedFailure: nil,
                description: "Vaccination certificate (2/2 doses) from the demo DSC, valid until 2036-01-01"),
            DemoCase(
                fileName: "02-valid-test.png",
                payload: try issuer.hc1(credential(.test, number: 2, givenName: "Tested")),
                expectedFailure: nil,
                description: "Negative PCR test certificate from the demo DSC, valid until 2036-01-01"),
            DemoCase(
                fileName: "03-expired.png",
                payload: try issuer.hc1(
                    credential(.vaccination, number: 3, givenName: "Expired", issuedAt: Self.expiredIssuedAt, expiresAt: Self.expiredAt)),
                expectedFailure: .expired,
                description: "Vaccination certificate issued 2024-01-01 that expired on 2025-01-01"),
            DemoCase(
                fileName: "04-bad-signature.png",
                payload: try corruptlySigned(credential(.vaccination, number: 4, givenName: "Tampered")),
                expectedFailure: .badSignature,
                description: "Vaccination certificate whose signature was altered after signing"),
            DemoCase(
                fileName: "05-unknown-signer.png",
                payload: try pki.strangerSigner.hc1(credential(.vaccination, number: 5, givenName: "Stranger")),
                expectedFailure: .unknownSigner,
                description: "Vaccination certificate signed by a demo DSC that is not in the trust bundle"),
            DemoCase(
                fileName: "06-revoked.png",
                payload: try issuer.hc1(credential(.vaccination, number: 6, givenName: "Revoked")),
                expectedFailure: .revoked,
                description: "Valid vaccination certificate whose UCI is on the bundle's revocation list"),
            DemoCase(
                fileName: "07-not-a-certificate.png",
                payload: "https://example.org/menu",
                expectedFailure: .unsupportedFormat,
                description: "A QR code that is not a health certificate (a restaurant menu link)"),
            DemoCase(
                fileName: "08-incomplete-vaccination.png",
                payload: try issuer.hc1(credential(.vaccination, number: 8, givenName: "Halfway", doses: (1, of: 2))),
                expectedFailure: .ruleFailed,
                description: "Authentic vaccination certificate for dose 1 of 2: the demo country's rules do not admit it",
                failedRules: [DemoRules.completeVaccination]),
            DemoCase(
                fileName: "09-who-dvc.png",
                payload: try issuer.hc1(claims: WHOTestCredentials.claims([(-6, WHOTestCredentials.dvcEntry(validUntil: "2036-01-01"))])),
                expectedFailure: nil,
                description: "WHO Digital Vaccination Certificate (yellow fever, the digital ICVP) from the demo DSC, valid until 2036-01-01"),
            DemoCase(
                fileName: "10-smart-health-card.png",
                payload: try pki.healthCardIssuer.qr(healthCard()),
                expectedFailure: nil,
                description: "SMART Health Card (two vaccine doses) from the demo issuer in the bundle's SMART Health Card section"),
        ]
    }

    /// A vaccination card for an invented holder, valid from the generation day and without an expiry (as most are).
    private func healthCard() -> SHCTestIssuer.Card {
        var card = SHCTestIssuer.Card(kind: .vaccination)
        card.notBefore = issuedAt.timeIntervalSince1970.rounded(.down)
        card.familyName = "Demo"
        card.givenNames = ["Smart"]
        card.birthDate = "1990-01-01"
        return card
    }

    /// The unique certificate identifier of frame `number`.
    static func uci(_ number: Int) -> String {
        "URN:UVCI:01:XX:GATECHECKDEMO000\(number)"
    }

    /// A credential of `type` for an obviously invented holder ("Demo, <givenName>").
    private func credential(
        _ type: CertificateType, number: Int, givenName: String, issuedAt: Date? = nil, expiresAt: Date = validUntil,
        doses: (Int, of: Int)? = nil
    ) -> TestCredential {
        let issued = issuedAt ?? self.issuedAt
        var entry = TestCredential.defaultEntry(type).filter { !["ci", "is", "dt", "sc", "tc"].contains($0.0) }
        if let doses {
            entry = entry.map { $0.0 == "dn" ? ("dn", .integer(Int64(doses.0))) : $0.0 == "sd" ? ("sd", .integer(Int64(doses.of))) : $0 }
        }
        entry.append(("ci", .text(Self.uci(number))))
        entry.append(("is", .text("GateCheck DEMO Issuer")))
        switch type {
        case .vaccination:
            entry.append(("dt", .text(Self.day(issued.addingTimeInterval(-30 * 86_400)))))
        case .test:
            // Sampled the evening before issuance: never in the future for the content check.
            entry.append(("sc", .text(Self.dateTime(issued.addingTimeInterval(-2 * 3_600)))))
            entry.append(("tc", .text("GateCheck DEMO Test Centre")))
        case .recovery:
            break
        }
        var credential = TestCredential(payload: .map([
            (.text("ver"), .text("1.3.0")),
            (.text("nam"), .map([
                (.text("fn"), .text("Demo")), (.text("fnt"), .text("DEMO")),
                (.text("gn"), .text(givenName)), (.text("gnt"), .text(givenName.uppercased())),
            ])),
            (.text("dob"), .text("1990-01-01")),
            (.text(type.rawValue), .array([.map(entry.map { (.text($0.0), $0.1) })])),
        ]))
        credential.issuer = DemoPKI.country
        credential.issuedAt = issued
        credential.expiresAt = expiresAt
        return credential
    }

    /// Signed with a flipped bit in the signature. A flip can, rarely, push ECDSA's `s` past the curve
    /// order, which the verifier reports as malformed rather than bad: signing again draws a new signature.
    private func corruptlySigned(_ credential: TestCredential) throws -> String {
        let verifier = HC1Verifier(trustList: pki.documentSigner.trustList)
        let context = VerificationContext(now: issuedAt.addingTimeInterval(86_400))
        for _ in 0..<16 {
            let payload = try pki.documentSigner.hc1(credential, corruptSignature: true)
            if verifier.verify(payload: payload, in: context).failure?.code == .badSignature { return payload }
        }
        throw DemoAssetsError("could not produce a credential whose signature fails as bad-signature")
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    static func dateTime(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
