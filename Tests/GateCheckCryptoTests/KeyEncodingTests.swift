import Foundation
import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto

@Suite("Key encodings")
struct KeyEncodingTests {
    @Test func spkiRoundTrip() throws {
        for key in [TestKeys.p256, TestKeys.p384, TestKeys.rsa2048] {
            let spki = key.publicKey.subjectPublicKeyInfoDER
            let parsed = try PublicKey(subjectPublicKeyInfoDER: spki)
            #expect(parsed.subjectPublicKeyInfoDER == spki)
            #expect(parsed.kind == key.publicKey.kind)
        }
    }

    @Test func spkiRejectsTrailingTruncatedGarbageAndOversized() throws {
        let spki = TestKeys.p256.publicKey.subjectPublicKeyInfoDER
        #expect(throws: CryptoError(.trailingData)) { _ = try PublicKey(subjectPublicKeyInfoDER: spki + [0]) }
        #expect(throws: CryptoError(.malformedKey)) {
            _ = try PublicKey(subjectPublicKeyInfoDER: Array(spki.dropLast()))
        }
        #expect(throws: CryptoError(.malformedKey)) { _ = try PublicKey(subjectPublicKeyInfoDER: []) }
        #expect(throws: CryptoError(.malformedKey)) { _ = try PublicKey(subjectPublicKeyInfoDER: [0x30, 0x00]) }
        #expect(throws: CryptoError(.inputTooLarge)) {
            _ = try PublicKey(subjectPublicKeyInfoDER: [UInt8](repeating: 0x30, count: 100_000))
        }
        // A point not on the curve.
        var offCurve = spki
        offCurve[offCurve.count - 1] ^= 0x01
        #expect(throws: CryptoError(.malformedKey)) { _ = try PublicKey(subjectPublicKeyInfoDER: offCurve) }
    }

    @Test func randomSPKIBytesNeverCrash() {
        var generator = SplitMix64(seed: 7)
        let spki = TestKeys.rsa2048.publicKey.subjectPublicKeyInfoDER
        for _ in 0..<2_000 {
            var mutated = spki
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            if let key = try? PublicKey(subjectPublicKeyInfoDER: mutated) {
                _ = key.verify(signature: Array(repeating: 1, count: 256), for: [1], algorithm: .ps256)
            }
        }
    }

    @Test func publicKeyPEM() throws {
        let spki = TestKeys.rsa2048.publicKey.subjectPublicKeyInfoDER
        let pem = "comment\n" + PEMTests.armour(spki, label: "PUBLIC KEY")
        #expect(try PublicKey(pem: pem).subjectPublicKeyInfoDER == spki)
        #expect(throws: CryptoError(.malformedKey)) { _ = try PublicKey(pem: "no pem here") }
        #expect(throws: CryptoError(.malformedKey)) { _ = try PublicKey(pem: pem + pem) }
    }

    @Test func privateKeyPEMRoundTrip() throws {
        for key in [TestKeys.p256, TestKeys.rsa2048] {
            let pem = try key.pemEncoded()
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
            let reloaded = try PrivateKey(pem: pem)
            #expect(reloaded.publicKey.subjectPublicKeyInfoDER == key.publicKey.subjectPublicKeyInfoDER)
            let signature = try reloaded.sign([1, 2, 3], algorithm: key === TestKeys.p256 ? .es256 : .ps256)
            #expect(
                key.publicKey.verify(
                    signature: signature, for: [1, 2, 3], algorithm: key === TestKeys.p256 ? .es256 : .ps256) == .valid)
        }
        #expect(throws: CryptoError(.malformedKey)) { _ = try PrivateKey(pem: "") }
    }

    @Test func rsaSizeLimits() {
        #expect(throws: CryptoError(.unsupportedKey)) { _ = try PrivateKey.generateRSA(bits: 512) }
        #expect(throws: CryptoError(.unsupportedKey)) { _ = try PrivateKey.generateRSA(bits: 100_000) }
    }
}
