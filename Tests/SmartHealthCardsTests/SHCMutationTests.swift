import Foundation
import HealthCredentials
import HealthCredentialsTesting
import SmartHealthCards
import Testing
import Zlib

/// Mutated SMART Health Cards at every layer: the `shc:/` text, the JWS characters, and the inflated payload
/// JSON (re-deflated under the original signature). Each must end in a verdict, and a pass only when the signed
/// bytes are the original ones.
@Suite struct SHCMutationTests {
    /// 30,000 each on the QR text and the JWS, 20,000 each on the payload JSON and its DEFLATE stream.
    static let perLayer = 30_000

    struct Seed {
        let verifier: SHCVerifier
        let qr: [UInt8]
        let jws: [UInt8]
        let payload: [UInt8]
        let signingInput: [UInt8]
    }

    static func seeds() throws -> [Seed] {
        var seeds: [Seed] = []
        let issuer = try SHCTestIssuer(revokedRIDs: ["AAAAAAAAAAA"])
        var card = SHCTestIssuer.Card()
        card.rid = "BBBBBBBBBBB"
        card.expiry = 1_800_000_000
        for card in [SHCTestIssuer.Card(), SHCTestIssuer.Card(kind: .labTest), card] {
            let jws = try issuer.jws(card)
            seeds.append(
                Seed(
                    verifier: SHCVerifier(directory: try issuer.directory), qr: Array(try issuer.qr(card).utf8), jws: jws,
                    payload: issuer.payload(card), signingInput: try SHCCompactJWS(jws).signingInput))
        }
        return seeds
    }

    static func mutate(_ input: [UInt8], using random: inout SplitMix64, alphabet: [UInt8]? = nil) -> [UInt8] {
        var bytes = input
        func anyByte() -> UInt8 {
            guard let alphabet else { return UInt8(truncatingIfNeeded: random.next()) }
            return alphabet[Int(random.next() % UInt64(alphabet.count))]
        }
        switch random.next() % 5 {
        case 0:
            for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                if alphabet != nil { bytes[index] = anyByte() } else { bytes[index] ^= 1 << (random.next() % 8) }
            }
        case 1:
            bytes.removeLast(Int(random.next() % UInt64(bytes.count + 1)))
        case 2:
            bytes += (0..<(1 + random.next() % 64)).map { _ in anyByte() }
        case 3:
            guard !bytes.isEmpty else { break }
            let start = Int(random.next() % UInt64(bytes.count))
            let length = min(bytes.count - start, 1 + Int(random.next() % 16))
            let value = anyByte()
            for index in start..<(start + length) { bytes[index] = value }
        default:
            guard !bytes.isEmpty else { break }
            let index = Int(random.next() % UInt64(bytes.count))
            bytes.insert(anyByte(), at: index)
        }
        return bytes
    }

    static let digits = Array("0123456789".utf8)
    static let jwsAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)

    /// A pass is only possible when the signed bytes are the seed's.
    static func check(_ report: VerificationReport, jws: [UInt8]?, seed: Seed) {
        guard report.verdict == .pass else { return }
        let signed = jws.flatMap { try? SHCCompactJWS($0).signingInput }
        #expect(signed == seed.signingInput)
    }

    @Test func mutatedQRText() throws {
        let context = VerificationContext(now: SHCTestIssuer.validAt)
        var random = SplitMix64(seed: 0x5AC1)
        let seeds = try Self.seeds()
        var decodedButRefused = 0
        for round in 0..<Self.perLayer {
            let seed = seeds[round % seeds.count]
            // Mostly digits (reaching the JWS layers), sometimes any byte.
            let mutated = Self.mutate(seed.qr, using: &random, alphabet: round % 4 == 0 ? nil : Self.digits)
            let report = seed.verifier.verify(payload: mutated, in: context)
            Self.check(report, jws: try? SHCNumericQR(scanned: mutated).jwsCharacters, seed: seed)
            if report.outcome(of: .decode) == .ok, report.verdict == .fail { decodedButRefused += 1 }
        }
        // The mutations reach past decoding, to the signature.
        #expect(decodedButRefused > 500)
    }

    @Test func mutatedJWS() throws {
        let context = VerificationContext(now: SHCTestIssuer.validAt)
        var random = SplitMix64(seed: 0x5AC2)
        let seeds = try Self.seeds()
        var decodedButRefused = 0
        for round in 0..<Self.perLayer {
            let seed = seeds[round % seeds.count]
            let mutated = Self.mutate(seed.jws, using: &random, alphabet: round % 4 == 0 ? nil : Self.jwsAlphabet)
            let report = seed.verifier.verify(jws: mutated, in: context)
            Self.check(report, jws: mutated, seed: seed)
            if report.outcome(of: .decode) == .ok, report.verdict == .fail { decodedButRefused += 1 }
        }
        #expect(decodedButRefused > 500)
    }

    /// The payload JSON changed, deflated again and put under the original header and signature: reaches the
    /// JSON and schema layers, and must never pass.
    @Test func mutatedPayloadUnderTheOriginalSignature() throws {
        let context = VerificationContext(now: SHCTestIssuer.validAt)
        var random = SplitMix64(seed: 0x5AC3)
        let seeds = try Self.seeds()
        for round in 0..<20_000 {
            let seed = seeds[round % seeds.count]
            let parts = seed.jws.split(separator: UInt8(ascii: "."))
            let payload = Self.mutate(seed.payload, using: &random)
            let jws = Array(parts[0]) + [0x2E] + Array(Base64URL.encode(Deflate.raw(payload)).utf8) + [0x2E] + Array(parts[2])
            let report = seed.verifier.verify(jws: jws, in: context)
            if payload != seed.payload { #expect(report.verdict == .fail) }
        }
    }

    /// The raw DEFLATE stream itself changed, under the original header and signature: reaches the inflater.
    @Test func mutatedDeflateStreamUnderTheOriginalSignature() throws {
        let context = VerificationContext(now: SHCTestIssuer.validAt)
        var random = SplitMix64(seed: 0x5AC4)
        let seeds = try Self.seeds()
        for round in 0..<20_000 {
            let seed = seeds[round % seeds.count]
            let parts = seed.jws.split(separator: UInt8(ascii: "."))
            let compressed = try Base64URL.decode(Array(parts[1]))
            let mutated = Self.mutate(compressed, using: &random)
            let jws = Array(parts[0]) + [0x2E] + Array(Base64URL.encode(mutated).utf8) + [0x2E] + Array(parts[2])
            let report = seed.verifier.verify(jws: jws, in: context)
            if mutated != compressed { #expect(report.verdict == .fail) }
        }
    }

    @Test func hostileInputs() throws {
        let context = VerificationContext(now: SHCTestIssuer.validAt)
        let seed = try #require(try Self.seeds().first)
        let bomb = Deflate.raw([UInt8](repeating: 0x20, count: 8 << 20))
        let header = Base64URL.encode(Array(#"{"zip":"DEF","alg":"ES256","kid":"x"}"#.utf8))
        let hostile: [[UInt8]] = [
            [], Array("shc:/".utf8), Array(("shc:/" + String(repeating: "5", count: 8_000)).utf8),
            Array(("shc:/" + String(repeating: "7", count: 7_000)).utf8),
            Array((header + "." + Base64URL.encode(bomb) + ".AAAA").utf8),
            Array((header + "." + Base64URL.encode(Deflate.raw(Array(String(repeating: "[", count: 10_000).utf8))) + ".AAAA").utf8),
            Array(String(repeating: ".", count: 10_000).utf8), Array(repeating: 0xFF, count: 4_096),
        ]
        for input in hostile {
            #expect(seed.verifier.verify(payload: input, in: context).verdict == .fail)
            #expect(seed.verifier.verify(jws: input, in: context).verdict == .fail)
        }
        #expect(
            seed.verifier.verify(jws: Array((header + "." + Base64URL.encode(bomb) + ".AAAA").utf8), in: context).failure?.code
                == .decompressedTooLarge)
        #expect(seed.verifier.verify(scans: Array(repeating: seed.qr, count: 1_000), in: context).verdict == .pass)
    }
}
