import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto

@Suite("PS256")
struct PS256Tests {
    let key = TestKeys.rsa2048
    let message = Array("Signature1 over a COSE Sig_structure".utf8)

    @Test func roundTripRSA2048() throws {
        let signature = try key.sign(message, algorithm: .ps256)
        #expect(signature.count == 256)
        #expect(key.publicKey.kind == .rsa(bits: 2048))
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .valid)
    }

    @Test func roundTripRSA3072() throws {
        let signature = try TestKeys.rsa3072.sign(message, algorithm: .ps256)
        #expect(signature.count == 384)
        #expect(TestKeys.rsa3072.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .valid)
    }

    @Test func explicitSalt32HelperMatchesSign() throws {
        let signature = try key.rsaSign(message, padding: .pss(saltLength: 32))
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .valid)
    }

    /// OpenSSL's default verification salt length is "auto"; PS256 must pin 32.
    @Test(arguments: [
        RSASignaturePadding.pss(saltLength: 0), .pss(saltLength: 20), .pss(saltLength: 31),
        .pss(saltLength: 33), .pss(saltLength: 64), .pssMaximumSalt, .pkcs1v15,
    ])
    func otherPaddingsAreInvalid(padding: RSASignaturePadding) throws {
        let signature = try key.rsaSign(message, padding: padding)
        #expect(signature.count == 256)
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .invalid)
    }

    @Test func flippedBitsAreInvalid() throws {
        var signature = try key.sign(message, algorithm: .ps256)
        signature[100] ^= 0x04
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .ps256) != .valid)
        var tampered = message
        tampered[0] ^= 0x01
        let good = try key.sign(message, algorithm: .ps256)
        #expect(key.publicKey.verify(signature: good, for: tampered, algorithm: .ps256) == .invalid)
    }

    @Test(arguments: [0, 1, 64, 255, 257, 384, 512, 10_000])
    func wrongLengthIsMalformed(length: Int) {
        var generator = SplitMix64(seed: UInt64(length) &+ 7)
        let signature = [UInt8].random(count: length, using: &generator)
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .malformedSignature)
    }

    @Test func garbageOfRightLengthNeverVerifies() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<200 {
            var signature = [UInt8].random(count: 256, using: &generator)
            if round.isMultiple(of: 2) { signature[0] = 0xFF }  // ≥ modulus
            let result = key.publicKey.verify(signature: signature, for: message, algorithm: .ps256)
            #expect(result == .invalid || result == .malformedSignature)
        }
        let zeros = [UInt8](repeating: 0, count: 256)
        let ones = [UInt8](repeating: 0xFF, count: 256)
        #expect(key.publicKey.verify(signature: zeros, for: message, algorithm: .ps256) != .valid)
        #expect(key.publicKey.verify(signature: ones, for: message, algorithm: .ps256) != .valid)
    }

    /// An `id-RSASSA-PSS` SubjectPublicKeyInfo (EVP_PKEY_RSA_PSS) is an RSA key for PS256.
    @Test func rsassaPSSKeyVerifies() throws {
        let pssKey = try PublicKey(subjectPublicKeyInfoDER: rsassaPSSSPKI(from: key.publicKey.subjectPublicKeyInfoDER))
        #expect(pssKey.kind == .rsa(bits: 2048))
        let signature = try key.sign(message, algorithm: .ps256)
        #expect(pssKey.verify(signature: signature, for: message, algorithm: .ps256) == .valid)
        let maxSalt = try key.rsaSign(message, padding: .pssMaximumSalt)
        #expect(pssKey.verify(signature: maxSalt, for: message, algorithm: .ps256) == .invalid)
        #expect(
            pssKey.verify(signature: Array(signature.dropLast()), for: message, algorithm: .ps256)
                == .malformedSignature)
        #expect(
            pssKey.verify(signature: Array(repeating: 0, count: 64), for: message, algorithm: .es256)
                == .keyMismatch)
    }

    /// Rewrites an rsaEncryption SPKI into an id-RSASSA-PSS SPKI with absent parameters (no restrictions).
    private func rsassaPSSSPKI(from spki: [UInt8]) throws -> [UInt8] {
        let rsaAlgorithm: [UInt8] = [
            0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
        ]
        let pssAlgorithm: [UInt8] = [0x30, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]
        // Outer SEQUENCE with a two-byte length (30 82 hi lo), then the AlgorithmIdentifier.
        try #require(spki.count > 200 && spki[0] == 0x30 && spki[1] == 0x82)
        try #require(Array(spki[4..<19]) == rsaAlgorithm)
        let newLength = (Int(spki[2]) << 8 | Int(spki[3])) - 2
        return [0x30, 0x82, UInt8(newLength >> 8), UInt8(newLength & 0xFF)] + pssAlgorithm + spki[19...]
    }
}
