import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Testing


/// Feeds mutated credentials to the verifier: bit flips, truncations, extensions and byte
/// overwrites, on the QR text and on the decompressed COSE bytes (which reaches the CBOR, COSE
/// and CWT parsers). Every case must end in a verdict, and a pass is only possible when the
/// signed bytes are exactly the original ones.
@Suite struct MutationTests {
    struct Seed {
        let payload: [UInt8]
        let cose: [UInt8]
        let signedBytes: [UInt8]
        let verifier: HC1Verifier
        let context: VerificationContext
    }

    static func seeds() throws -> [Seed] {
        var seeds: [Seed] = []
        for algorithm in [COSEAlgorithm.es256, .ps256] {
            let issuer = try TestIssuer(algorithm: algorithm)
            for type in CertificateType.allCases {
                let payload = Array(try issuer.hc1(TestCredential(type: type)).utf8)
                seeds.append(try seed(payload, verifier: HC1Verifier(trustList: issuer.trustList), at: TestCredential.validAt))
            }
        }
        // Real credentials from the corpus, when it is there: the VN sample against its DSC.
        if let root = TestCorpus.root {
            let text = try String(contentsOf: root.appendingPathComponent("samples/vn-vaccination.hc1.txt"), encoding: .utf8)
            let payload = Array(text.trimmingCharacters(in: .newlines).utf8)
            seeds.append(try seed(payload, verifier: HC1Verifier(trustList: .empty), at: Date(timeIntervalSince1970: 1_654_041_600)))
        }
        return seeds
    }

    static func seed(_ payload: [UInt8], verifier: HC1Verifier, at now: Date) throws -> Seed {
        let cose = try HC1Encoding.coseBytes(fromPayload: payload)
        return Seed(payload: payload, cose: cose, signedBytes: try COSESign1(decoding: cose).signedBytes, verifier: verifier,
                    context: VerificationContext(now: now))
    }

    @Test(.timeLimit(.minutes(5)))
    func hundredThousandMutationsAllEndInAVerdict() throws {
        let seeds = try Self.seeds()
        var random = SplitMix64(seed: 0x6A7E_C4EC)
        let total = 100_000
        var verdicts: [VerificationReport.Verdict: Int] = [:]
        var reasons: [String: Int] = [:]
        for iteration in 0..<total {
            let seed = seeds[iteration % seeds.count]
            let report: VerificationReport
            let mutatedCOSE: [UInt8]?
            if iteration % 2 == 0 {
                report = seed.verifier.verify(payload: Mutation.mutate(seed.payload, using: &random), in: seed.context)
                mutatedCOSE = nil
            } else {
                let cose = Mutation.mutate(seed.cose, using: &random)
                report = seed.verifier.verify(coseBytes: cose, in: seed.context)
                mutatedCOSE = cose
            }
            verdicts[report.verdict, default: 0] += 1
            reasons[report.failure.map { "\($0.code)" } ?? "pass", default: 0] += 1
            if report.verdict == .pass, let mutatedCOSE {
                // Only an unsigned part (the unprotected header) may have changed.
                #expect(try COSESign1(decoding: mutatedCOSE).signedBytes == seed.signedBytes)
            }
        }
        #expect(verdicts.values.reduce(0, +) == total)
        #expect((verdicts[.fail] ?? 0) > total / 2, "mutations must overwhelmingly fail")
        print("mutation cases: \(total); verdicts: \(verdicts); reasons: \(reasons.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
