import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing
import VisibleDigitalSeals

/// Mutated seals at every layer: the QR text (the seal's JSON bytes), the canonical `data` bytes, the DER of the
/// Barcode Signer Certificate in `cer` and the raw signature in `sigvl` (both re-encoded after mutation). Every
/// input ends in a verdict, and a pass only ever carries the original signed bytes and signer.
@Suite struct SealMutationTests {
    struct Seed {
        let payload: [UInt8]
        let data: [UInt8]
        let certificate: [UInt8]
        let signature: [UInt8]
        let signedBytes: [UInt8]
        let dispatcher: CredentialVerifier
        let verifier: VDSNCVerifier
        let context: VerificationContext

        /// The seal with `data` (JSON text, not necessarily valid), `cer` and `sigvl` as given.
        func seal(data: [UInt8]? = nil, certificate: [UInt8]? = nil, signature: [UInt8]? = nil) -> [UInt8] {
            Array("{\"data\":".utf8) + (data ?? self.data) + Array(",\"sig\":{\"alg\":\"ES256\",\"cer\":\"".utf8)
                + Array(Base64URL.encode(certificate ?? self.certificate).utf8) + Array("\",\"sigvl\":\"".utf8)
                + Array(Base64URL.encode(signature ?? self.signature).utf8) + Array("\"}}".utf8)
        }
    }

    static func seed(_ payload: [UInt8], trust: ICAOTrust, at now: Date) throws -> Seed {
        let seal = try VDSNCSeal(payload: payload)
        let data = try #require(try JSONParser.parse(payload)["data"])
        let seed = Seed(
            payload: payload, data: try JSONCanonicalForm.bytes(of: data), certificate: seal.signerCertificate.derBytes, signature: seal.signatureValue,
            signedBytes: seal.signedBytes, dispatcher: CredentialVerifier([VDSNCVerifier(trust: trust)]), verifier: VDSNCVerifier(trust: trust),
            context: VerificationContext(now: now))
        // The re-assembled seal is the same seal.
        #expect(seed.dispatcher.verify(payload: seed.seal(), in: seed.context).verdict == .pass)
        #expect(seed.dispatcher.verify(payload: payload, in: seed.context).verdict == .pass)
        return seed
    }

    static func seeds() throws -> [Seed] {
        var seeds: [Seed] = []
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust(crls: [try issuer.revocationList(revokingSigner: false)])
        for type in VDSNCSeal.SealType.allCases {
            seeds.append(try seed(try issuer.seal(type: type), trust: trust, at: VDSNCTestIssuer.validTime))
        }
        if TestCorpus.isAvailable {
            seeds.append(try seed(try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json"), trust: try CorpusSealTests.australianTrust(), at: CorpusSealTests.clock.now))
        }
        return seeds
    }

    @Test(.timeLimit(.minutes(3)))
    func hundredThousandMutationsAllEndInAVerdict() throws {
        let seeds = try Self.seeds()
        var random = SplitMix64(seed: 0x5EA1_0DA7)
        let total = 100_000
        var verdicts: [VerificationReport.Verdict: Int] = [:]
        var reasons: [String: Int] = [:]
        var layers: [String: Int] = [:]
        for iteration in 0..<total {
            let seed = seeds[iteration % seeds.count]
            let payload: [UInt8]
            switch (iteration / seeds.count) % 4 {
            case 0:
                payload = Mutation.mutate(seed.payload, using: &random)
                layers["qr-text", default: 0] += 1
            case 1:
                payload = seed.seal(data: Mutation.mutate(seed.data, using: &random))
                layers["data", default: 0] += 1
            case 2:
                payload = seed.seal(certificate: Mutation.mutate(seed.certificate, using: &random))
                layers["cer", default: 0] += 1
            default:
                payload = seed.seal(signature: Mutation.mutate(seed.signature, using: &random))
                layers["sigvl", default: 0] += 1
            }
            // Half through the dispatcher (recognition first), half straight into the seal decoder.
            let report =
                iteration % 2 == 0 ? seed.dispatcher.verify(payload: payload, in: seed.context) : seed.verifier.verify(payload: payload, in: seed.context)
            verdicts[report.verdict, default: 0] += 1
            reasons[report.failure.map { "\($0.code)" } ?? "pass", default: 0] += 1
            if report.verdict == .pass {
                // Only the unsigned layout may differ (whitespace, member order, padding), or the mutation was a no-op
                // (a run overwritten with the bytes it had, a truncation by zero).
                let seal = try VDSNCSeal(payload: payload)
                #expect(seal.signedBytes == seed.signedBytes)
                #expect(seal.signerCertificate.derBytes == seed.certificate)
            }
        }
        #expect(verdicts.values.reduce(0, +) == total)
        #expect((verdicts[.fail] ?? 0) > total * 9 / 10, "mutations must overwhelmingly fail")
        print(
            "VDS-NC mutation cases: \(total) over \(seeds.count) seeds; layers: \(layers.sorted { $0.key < $1.key }); verdicts: \(verdicts); reasons: \(reasons.sorted { $0.value > $1.value }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
    }

    /// Inputs no mutation is likely to produce: deep nesting, huge numbers, odd Unicode, every JSON type where a
    /// member is expected.
    @Test func hostileInputsEndInAVerdict() throws {
        let issuer = try VDSNCTestIssuer()
        let verifier = CredentialVerifier([VDSNCVerifier(trust: try issuer.trust())])
        let context = VerificationContext(now: VDSNCTestIssuer.validTime)
        let seal = String(decoding: try issuer.seal(), as: UTF8.self)
        var hostile: [String] = [
            "", "{", "{}", "[]", "null", "{\"data\":null,\"sig\":null}", "{\"data\":{},\"sig\":{}}",
            String(repeating: "[", count: 5000), String(repeating: "{\"data\":", count: 3000),
            "{\"data\":{\"hdr\":{\"t\":\"icao.vacc\",\"v\":1,\"is\":\"UTO\"},\"msg\":{}},\"sig\":{\"alg\":\"ES256\",\"cer\":\"\",\"sigvl\":\"\"}}",
            seal.replacingOccurrences(of: "\"v\":1", with: "\"v\":1e400"),
            seal.replacingOccurrences(of: "\"v\":1", with: "\"v\":99999999999999999999999999"),
            seal.replacingOccurrences(of: "\"v\":1", with: "\"v\":-0"),
            seal.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":1e999"),
            seal.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":\"\\ud800\""),
            seal.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":\"\\u0000\""),
            seal.replacingOccurrences(of: "\"lot\":", with: "\"lot\":\"\",\"lot\":"),
            seal.replacingOccurrences(of: "ES256", with: "ES512"),
            seal.replacingOccurrences(of: "ES256", with: "none"),
            "\u{FEFF}" + seal,
            seal + "x",
        ]
        for value in ["null", "true", "1", "\"s\"", "[]", "{}"] {
            for member in ["\"data\":", "\"hdr\":", "\"msg\":", "\"sig\":", "\"t\":", "\"is\":", "\"cer\":", "\"sigvl\":", "\"pid\":", "\"ve\":"] {
                if let range = seal.range(of: member) {
                    var text = seal
                    text.insert(contentsOf: value + ",\"x" + String(member.dropFirst()), at: range.upperBound)
                    hostile.append(text)
                }
            }
        }
        for text in hostile {
            let report = verifier.verify(payload: Array(text.utf8), in: context)
            #expect(report.verdict == .fail, "\(text.prefix(60))")
        }
    }
}
