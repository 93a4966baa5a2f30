import GateCheckTestSupport
import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto

@Suite("ES256")
struct ES256Tests {
    let key = TestKeys.p256
    let message = Array("Signature1 over a COSE Sig_structure".utf8)

    @Test func roundTripVerifies() throws {
        let signature = try key.sign(message, algorithm: .es256)
        #expect(signature.count == 64)
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .valid)
    }

    @Test func emptyMessageRoundTrip() throws {
        let signature = try key.sign([], algorithm: .es256)
        #expect(key.publicKey.verify(signature: signature, for: [], algorithm: .es256) == .valid)
        #expect(key.publicKey.verify(signature: signature, for: [0], algorithm: .es256) == .invalid)
    }

    @Test func otherKeyDoesNotVerify() throws {
        let signature = try key.sign(message, algorithm: .es256)
        #expect(TestKeys.otherP256.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .invalid)
    }

    @Test(arguments: [0, 17, 31, 32, 45, 63])
    func flippedSignatureBitIsInvalid(byte: Int) throws {
        var signature = try key.sign(message, algorithm: .es256)
        signature[byte] ^= 0x01
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .invalid)
    }

    @Test func flippedMessageBitIsInvalid() throws {
        let signature = try key.sign(message, algorithm: .es256)
        var tampered = message
        tampered[3] ^= 0x80
        #expect(key.publicKey.verify(signature: signature, for: tampered, algorithm: .es256) == .invalid)
    }

    @Test(arguments: [0, 1, 63, 65, 70, 72, 96, 128, 10_000])
    func wrongLengthIsMalformed(length: Int) throws {
        // A DER-encoded signature (70–72 bytes) must not be accepted either: COSE carries raw r‖s only.
        var generator = SplitMix64(seed: UInt64(length))
        let signature = [UInt8].random(count: length, using: &generator)
        #expect(key.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .malformedSignature)
    }

    @Test func derEncodedValidSignatureIsRejected() throws {
        let raw = try key.sign(message, algorithm: .es256)
        let der = try #require(ECDSASignatureEncoding.der(fromRaw: raw))
        #expect(key.publicKey.verify(signature: der, for: message, algorithm: .es256) == .malformedSignature)
    }

    @Test func garbageSignaturesNeverVerify() {
        var generator = SplitMix64(seed: 0xC0FFEE)
        for _ in 0..<500 {
            let signature = [UInt8].random(count: 64, using: &generator)
            let result = key.publicKey.verify(signature: signature, for: message, algorithm: .es256)
            #expect(result == .invalid || result == .malformedSignature)
        }
    }

    /// r or s of 0, the group order n, or values above n must never verify (the "psychic signature" class).
    @Test func outOfRangeScalarsAreNotValid() throws {
        let valid = try key.sign(message, algorithm: .es256)
        let r = Array(valid[0..<32])
        let s = Array(valid[32..<64])
        let zero = [UInt8](repeating: 0, count: 32)
        let order = [UInt8](hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let orderPlusOne = [UInt8](hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552")
        let allOnes = [UInt8](repeating: 0xFF, count: 32)
        let candidates: [[UInt8]] = [
            zero + zero, r + zero, zero + s, order + s, r + order, order + order, orderPlusOne + s,
            r + orderPlusOne, allOnes + s, r + allOnes, allOnes + allOnes,
        ]
        for signature in candidates {
            let result = key.publicKey.verify(signature: signature, for: message, algorithm: .es256)
            #expect(result != .valid, "accepted \(signature.hex)")
        }
    }

    /// s and n − s are both mathematically valid ECDSA signatures; COSE does not require low-s, and OpenSSL
    /// accepts both. This documents that behaviour so a change in it is noticed.
    @Test func highSVariantIsAccepted() throws {
        let valid = try key.sign(message, algorithm: .es256)
        let order = [UInt8](hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let s = Array(valid[32..<64])
        var negated = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(order[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            negated[index] = UInt8(difference)
        }
        let flipped = Array(valid[0..<32]) + negated
        #expect(key.publicKey.verify(signature: flipped, for: message, algorithm: .es256) == .valid)
    }

    /// OpenSSL returns −1 (not 0) for a signature it cannot decode; only 1 may count as valid.
    @Test func undecodableDERIsMalformedNotValid() throws {
        let raw = try key.sign(message, algorithm: .es256)
        let der = try #require(ECDSASignatureEncoding.der(fromRaw: raw))
        #expect(key.publicKey.digestVerify(signature: der, message: message, pss: false) == .valid)
        for garbage: [UInt8] in [
            [0x30, 0x01], [0x30, 0x00], [0xFF, 0xFF, 0xFF], der + [0x00], Array(der.dropLast()),
        ] {
            #expect(key.publicKey.digestVerify(signature: garbage, message: message, pss: false) == .malformedSignature)
        }
    }

    @Test func rawDERConversionRoundTrips() throws {
        let raw = try key.sign(message, algorithm: .es256)
        let der = try #require(ECDSASignatureEncoding.der(fromRaw: raw))
        #expect(der.first == 0x30)
        #expect(ECDSASignatureEncoding.raw(fromDER: der, fieldSize: 32) == raw)
        #expect(ECDSASignatureEncoding.der(fromRaw: []) == nil)
        #expect(ECDSASignatureEncoding.der(fromRaw: [1, 2, 3]) == nil)
    }
}
