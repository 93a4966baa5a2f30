import CBOR
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import NZCovidPass
import Testing
import TrustSources

/// Hostile inputs and mutations: every input ends in a verdict without a crash, and a pass only when the signed
/// bytes are the original ones.
@Suite(.timeLimit(.minutes(5)))
struct NZCPRobustnessTests {
    let verifier = NZCPVerifier(issuers: Issuers.nzcp.issuers)
    let context = VerificationContext(now: NZCPTestIssuer.validAt)

    @Test("hostile inputs are refused at decode", arguments: [
        "NZCP:/1/" + String(repeating: "A", count: 5_000),  // over the QR limit
        "NZCP:/" + String(repeating: "1", count: 100) + "/AAAA",
        "NZCP:/1/" + String(repeating: "7", count: 8),  // all-ones bytes: a CBOR break code
        "NZCP:/1//AAAA", "NZCP:/1/\u{0}", "NZCP:/1/AAAAAAA=", "NZCP:/1/ÄÖÜ", "NZCP://", "NZCP:/",
    ])
    func hostileText(payload: String) {
        let report = verifier.verify(payload: Array(payload.utf8), in: context)
        #expect(report.outcome(of: .decode).error != nil)
        #expect(report.verdict == .fail)
    }

    @Test func deepOrHugeCBORIsRefused() {
        for cose in [
            [UInt8](repeating: 0x81, count: 2_000) + [0x00],  // deep nesting
            [0xD2, 0x84, 0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // a huge declared length
            [0xD2, 0x9F] + [UInt8](repeating: 0x40, count: 3_000),  // an endless indefinite array
        ] {
            let report = verifier.verify(payload: Array(NZCPTestIssuer.payload(cose: cose).utf8), in: context)
            #expect(report.outcome(of: .decode).error != nil)
        }
        // Deep nesting inside signed claims.
        let claims = [UInt8](repeating: 0x81, count: 2_000) + [0x00]
        let protected = Array(CBORValue.map([(.integer(1), .integer(-7)), (.integer(4), .bytes(Array("key-1".utf8)))]).encodedBytes)
        let message = CBORValue(.tagged(18, .array([.bytes(protected), .map([]), .bytes(claims), .bytes([UInt8](repeating: 1, count: 64))])))
        #expect(verifier.verify(payload: Array(NZCPTestIssuer.payload(cose: Array(message.encodedBytes)).utf8), in: context).failure?.code == .badCBOR)
    }

    struct Seed {
        let payload: [UInt8]
        let cose: [UInt8]
        let signedBytes: [UInt8]
        let verifier: NZCPVerifier
        let context: VerificationContext
    }

    static func seeds() throws -> [Seed] {
        let issuer = Issuers.nzcp
        var seeds: [(String, NZCPVerifier, VerificationContext)] = [
            (try issuer.pass(), NZCPVerifier(issuers: issuer.issuers), VerificationContext(now: NZCPTestIssuer.validAt)),
            (try issuer.pass(issuer.claims(credential: NZCPTestIssuer.credential(familyName: nil))), NZCPVerifier(issuers: issuer.issuers),
             VerificationContext(now: NZCPTestIssuer.validAt)),
        ]
        if TestCorpus.isAvailable {
            let keys = try DIDIssuerDocuments.read(TestCorpus.bytes("nzcp/spec/examples/valid/did.json"), path: "did.json")
            let text = try TestCorpus.text("nzcp/spec/examples/valid/nzcp.txt").trimmingCharacters(in: .whitespacesAndNewlines)
            seeds.append((text, NZCPVerifier(issuers: keys), VerificationContext(now: Date(timeIntervalSince1970: 1_637_884_800))))
        }
        return try seeds.map { payload, verifier, context in
            let bytes = Array(payload.utf8)
            let pass = try NZCPVerifier.decode(bytes)
            #expect(verifier.verify(payload: bytes, in: context).verdict == .pass)
            return Seed(payload: bytes, cose: try Base32.decode(bytes.dropFirst(8)), signedBytes: pass.message.signedBytes, verifier: verifier, context: context)
        }
    }

    @Test func hundredThousandMutationsAllEndInAVerdict() throws {
        let seeds = try Self.seeds()
        var random = SplitMix64(seed: 0x4E5A_4350)
        let total = 100_000
        var verdicts: [VerificationReport.Verdict: Int] = [:]
        var reasons: [String: Int] = [:]
        for iteration in 0..<total {
            let seed = seeds[iteration % seeds.count]
            let payload: [UInt8]
            if iteration % 2 == 0 {
                payload = Mutation.mutate(seed.payload, using: &random)  // the QR text
            } else {
                payload = Array(NZCPTestIssuer.payload(cose: Mutation.mutate(seed.cose, using: &random)).utf8)  // the COSE bytes
            }
            let report = seed.verifier.verify(payload: payload, in: seed.context)
            verdicts[report.verdict, default: 0] += 1
            reasons[report.failure.map { "\($0.code)" } ?? "pass", default: 0] += 1
            if report.verdict == .pass {
                #expect(try NZCPVerifier.decode(payload).message.signedBytes == seed.signedBytes)
            }
        }
        #expect(verdicts.values.reduce(0, +) == total)
        #expect((verdicts[.fail] ?? 0) > total / 2)
        print("NZCP mutation cases: \(total); verdicts: \(verdicts); reasons: \(reasons.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
