import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources

/// The WHO DVC path under mutation, as `RobustnessTests.MutationTests` does for EU DCCs: bit flips, truncations,
/// extensions, overwrites and duplications of the QR text, the COSE bytes and the CWT claims (re-signed, so that
/// the WHO schema and validity code sees them). Every case ends in a verdict; a pass only when the signed bytes
/// are the original ones, or (claims mutations) when the mutated claims still decode as a valid DVC.
@Suite struct WHOMutationTests {
    struct Seed {
        let payload: [UInt8]
        let cose: [UInt8]
        let signedBytes: [UInt8]
        let claims: [UInt8]
        let verifier: HC1Verifier
        let context: VerificationContext
    }

    static func seeds() throws -> [Seed] {
        let issuer = Issuers.es256
        let verifier = HC1Verifier(trustList: issuer.trustList)
        var seeds: [Seed] = []
        for claims in [WHOTestCredentials.dvc(), WHOTestCredentials.dvc(validFrom: nil, validUntil: nil)] {
            seeds.append(try seed(Array(try issuer.hc1(claims: claims).utf8), verifier: verifier, at: WHOTestCredentials.validAt))
        }
        if TestCorpus.isAvailable {
            let list = TrustList(try GDHCNTrustList.read(TestCorpus.bytes(WHOCorpusTests.listPath), path: WHOCorpusTests.listPath).signers)
            let text = try TestCorpus.text("gdhcn/dvc-valid-xcl.hc1.txt").trimmingCharacters(in: .whitespacesAndNewlines)
            seeds.append(try seed(Array(text.utf8), verifier: HC1Verifier(trustList: list), at: Date(timeIntervalSince1970: 1_756_771_200)))
        }
        return seeds
    }

    static func seed(_ payload: [UInt8], verifier: HC1Verifier, at now: Date) throws -> Seed {
        let cose = try HC1Encoding.coseBytes(fromPayload: payload)
        let message = try COSESign1(decoding: cose)
        let seed = Seed(payload: payload, cose: cose, signedBytes: message.signedBytes, claims: message.payload, verifier: verifier,
                        context: VerificationContext(now: now))
        #expect(verifier.verify(payload: payload, in: seed.context).verdict == .pass)
        return seed
    }

    @Test(.timeLimit(.minutes(5)))
    func hundredThousandDVCMutationsAllEndInAVerdict() throws {
        let seeds = try Self.seeds()
        let issuer = Issuers.es256
        var random = SplitMix64(seed: 0xD7C0_0006)
        let total = 100_000
        var verdicts: [VerificationReport.Verdict: Int] = [:]
        var reasons: [String: Int] = [:]
        var claimsMutations = 0
        for iteration in 0..<total {
            let seed = seeds[iteration % seeds.count]
            let report: VerificationReport
            switch iteration % 3 {
            case 0:
                report = seed.verifier.verify(payload: Mutation.mutate(seed.payload, using: &random), in: seed.context)
            case 1:
                let cose = Mutation.mutate(seed.cose, using: &random)
                report = seed.verifier.verify(coseBytes: cose, in: seed.context)
                if report.verdict == .pass {
                    #expect(try COSESign1(decoding: cose).signedBytes == seed.signedBytes)
                }
            default:
                // The claims re-signed by a trusted key: reaches the CWT, WHO schema and validity code.
                let claims = Mutation.mutate(seed.claims, using: &random)
                guard let value = try? CBORParser.decode(claims) else {
                    report = seed.verifier.verify(coseBytes: try issuer.coseSign1(payload: claims), in: seed.context)
                    break
                }
                claimsMutations += 1
                let cose = try issuer.coseSign1(claims: value)
                report = HC1Verifier(trustList: issuer.trustList).verify(coseBytes: cose, in: seed.context)
                if report.verdict == .pass {
                    #expect(report.profile == .whoDVC || report.profile == .euDCC)
                }
            }
            verdicts[report.verdict, default: 0] += 1
            reasons[report.failure.map { "\($0.code)" } ?? "pass", default: 0] += 1
        }
        #expect(verdicts.values.reduce(0, +) == total)
        #expect((verdicts[.fail] ?? 0) > total / 2)
        print("WHO DVC mutation cases: \(total) (\(claimsMutations) re-signed claims that still parse); verdicts: \(verdicts); reasons: \(reasons.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
