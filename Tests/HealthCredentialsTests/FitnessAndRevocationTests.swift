import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// The trust (fitness) and revocation steps: a device that cannot decide fails every verdict,
/// and a listed credential fails with `revoked`.
@Suite("Fitness and revocation")
struct FitnessAndRevocationTests {
    /// Revokes exactly what it is told, and records what it was asked.
    struct ListedRevocations: RevocationChecking {
        var identifiers: Set<String> = []
        var countryIdentifiers: Set<String> = []
        var signatures: Set<[UInt8]> = []
        func isRevoked(certificateIdentifier: String, country: String, signature: [UInt8], algorithm: COSEAlgorithm) -> Bool {
            identifiers.contains(certificateIdentifier) || countryIdentifiers.contains(country + certificateIdentifier)
                || signatures.contains(signature)
        }
    }

    let issuer = Issuers.es256
    let context = VerificationContext(now: TestCredential.validAt)

    @Test("stale trust and an untrusted clock fail every verdict, even a valid credential")
    func unfitDeviceNeverPasses() throws {
        let payload = try issuer.hc1(TestCredential())
        for (fitness, code) in [
            (VerificationContext.Fitness.trustStale("bundle expired"), "trust-stale"),
            (.clockUntrusted("clock behind"), "clock-untrusted"),
        ] {
            var unfit = context
            unfit.fitness = fitness
            let report = HC1Verifier(trustList: issuer.trustList).verify(payload: payload, in: unfit)
            #expect(report.verdict == .fail)
            #expect(report.failure?.code.description == code)
            #expect(report.outcome(of: .signature) == .ok, "the other steps still run and report")
            // Also when the input never decodes.
            #expect(HC1Verifier(trustList: issuer.trustList).verify(payload: "HC2:", in: unfit).outcome(of: .trust).error?.code.description == code)
        }
        #expect(HC1Verifier(trustList: issuer.trustList).verify(payload: payload, in: context).verdict == .pass)
    }

    @Test("a credential listed by UCI, country + UCI or signature fails with revoked")
    func revokedCredentials() throws {
        let payload = try issuer.hc1(TestCredential())
        let cose = try HC1Encoding.coseBytes(fromPayload: Array(payload.utf8))
        let signature = try COSESign1(decoding: cose).signature
        let identifier = "URN:UVCI:01:XX:GATECHECKTEST0001"  // TestCredential's default ci
        for list in [
            ListedRevocations(identifiers: [identifier]),
            ListedRevocations(countryIdentifiers: ["VN" + identifier]),
            ListedRevocations(signatures: [signature]),
        ] {
            let report = HC1Verifier(trustList: issuer.trustList, revocations: list).verify(payload: payload, in: context)
            #expect(report.outcome(of: .revocation).error?.code == .revoked)
            #expect(report.verdict == .fail)
        }
        let unrelated = ListedRevocations(identifiers: ["URN:UVCI:01:XX:SOMEONEELSE"], countryIdentifiers: [identifier])
        let report = HC1Verifier(trustList: issuer.trustList, revocations: unrelated).verify(payload: payload, in: context)
        #expect(report.outcome(of: .revocation) == .ok)
        #expect(report.verdict == .pass)
    }
}
