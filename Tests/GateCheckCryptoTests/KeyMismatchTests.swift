import GateCheckTestSupport
import Testing
@testable import GateCheckCrypto

@Suite("Key and algorithm mismatch")
struct KeyMismatchTests {
    let message = Array("payload".utf8)

    @Test func rsaKeyWithES256() throws {
        let ecSignature = try TestKeys.p256.sign(message, algorithm: .es256)
        #expect(
            TestKeys.rsa2048.publicKey.verify(signature: ecSignature, for: message, algorithm: .es256) == .keyMismatch)
        let rsaSignature = try TestKeys.rsa2048.sign(message, algorithm: .ps256)
        #expect(
            TestKeys.rsa2048.publicKey.verify(signature: rsaSignature, for: message, algorithm: .es256) == .keyMismatch)
    }

    @Test func p256KeyWithPS256() throws {
        let signature = try TestKeys.p256.sign(message, algorithm: .es256)
        #expect(TestKeys.p256.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .keyMismatch)
        let rsaSignature = try TestKeys.rsa2048.sign(message, algorithm: .ps256)
        #expect(
            TestKeys.p256.publicKey.verify(signature: rsaSignature, for: message, algorithm: .ps256) == .keyMismatch)
    }

    /// dgc-testdata ES 401–403: a P-384 key labelled ES256 must not verify, even with a correct P-384 signature.
    @Test func p384KeyWithES256() throws {
        #expect(TestKeys.p384.publicKey.kind == .ec(curve: "secp384r1"))
        let signature = try TestKeys.p384.sign(message, algorithm: .es256)
        #expect(signature.count == 96)
        #expect(TestKeys.p384.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .keyMismatch)
        #expect(
            TestKeys.p384.publicKey.verify(signature: Array(signature.prefix(64)), for: message, algorithm: .es256)
                == .keyMismatch)
    }

    @Test func rsa1024WithPS256() throws {
        #expect(TestKeys.rsa1024.publicKey.kind == .rsa(bits: 1024))
        let signature = try TestKeys.rsa1024.sign(message, algorithm: .ps256)
        #expect(signature.count == 128)
        #expect(
            TestKeys.rsa1024.publicKey.verify(signature: signature, for: message, algorithm: .ps256) == .keyMismatch)
    }

    /// RFC 8032 test 1 public key: a key type this module does not verify with.
    @Test func ed25519KeyIsOtherAndMismatches() throws {
        let spki = [UInt8](
            hex: "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let key = try PublicKey(subjectPublicKeyInfoDER: spki)
        #expect(key.kind == .other("ED25519"))
        #expect(key.verify(signature: Array(repeating: 1, count: 64), for: message, algorithm: .es256) == .keyMismatch)
        #expect(key.verify(signature: Array(repeating: 1, count: 64), for: message, algorithm: .ps256) == .keyMismatch)
    }

    @Test func signingRefusesMismatchedAlgorithms() {
        #expect(throws: CryptoError.self) { try TestKeys.p256.sign(message, algorithm: .ps256) }
        #expect(throws: CryptoError.self) { try TestKeys.rsa2048.sign(message, algorithm: .es256) }
        do {
            _ = try TestKeys.p256.sign(message, algorithm: .ps256)
        } catch {
            #expect(error.code == .unsupportedKey)
        }
    }
}
