import CBOR
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// COSE_Sign1 parsing (RFC 9052 §4.2) and the DCC header rules (alg, kid).
@Suite("COSE_Sign1")
struct COSESign1Tests {
    static let issuer = Issuers.es256
    static let claims = TestCredential().claims

    /// A message from explicit parts; the signature is a placeholder unless given.
    static func message(
        protected: [(CBORValue, CBORValue)], unprotected: [(CBORValue, CBORValue)] = [],
        signature: [UInt8] = [UInt8](repeating: 0xAB, count: 64), tag: UInt64? = 18
    ) -> [UInt8] {
        let protectedBytes = protected.isEmpty ? [] : Array(CBORValue.map(protected).encodedBytes)
        return coseMessage(
            [.bytes(protectedBytes), .map(unprotected), .bytes(Array(claims.encodedBytes)), .bytes(signature)], tag: tag
        )
    }

    static let algES256: (CBORValue, CBORValue) = (.integer(1), .integer(-7))
    static func kid(_ bytes: [UInt8]) -> (CBORValue, CBORValue) { (.integer(4), .bytes(bytes)) }

    @Test(
        "untagged, tag 18 and tag 61 around tag 18 all parse",
        arguments: [
            (TestIssuer.Tagging.untagged, [0x84] as [UInt8]),
            (.tag18, [0xD2, 0x84]),
            (.cwtAndTag18, [0xD8, 0x3D, 0xD2, 0x84]),
        ]
    )
    func tagging(tagging: TestIssuer.Tagging, leadingBytes: [UInt8]) throws {
        let bytes = try Self.issuer.coseSign1(claims: Self.claims, tagging: tagging)
        // RFC 8949: 0x84 = array(4), 0xD2 = tag 18, 0xD8 0x3D = tag 61.
        try #require(Array(bytes.prefix(leadingBytes.count)) == leadingBytes)
        let message = try COSESign1(decoding: bytes)
        #expect(message.algorithm == .es256)
        #expect(message.kid == Self.issuer.kid)
        #expect(message.payload == Array(Self.claims.encodedBytes))
        #expect(message.signature.count == 64)
    }

    @Test("other tags are refused", arguments: [98, 16, 17, 19, 96] as [UInt64])
    func otherTag(tag: UInt64) throws {
        let parts = try coseParts(try Self.issuer.coseSign1(claims: Self.claims, tagging: .untagged))
        let tagged = CBORValue(.tagged(tag, .array(parts)))
        expectCode(.badCOSE) { try COSESign1(decoding: Array(tagged.encodedBytes)) }
        // The CWT tag 61 around anything but tag 18 (or the array) is refused as well.
        let wrapped = CBORValue(.tagged(61, tagged))
        expectCode(.badCOSE) { try COSESign1(decoding: Array(wrapped.encodedBytes)) }
    }

    @Test("tag 61 around an untagged array is refused: it must wrap tag 18")
    func cwtTagWithoutCOSETag() throws {
        let untagged = Self.message(protected: [Self.algES256, Self.kid(Self.issuer.kid)], tag: nil)
        let wrapped = Array(CBORValue(.tagged(61, try CBORParser.decode(untagged))).encodedBytes)
        #expect(throws: CredentialError(.badCOSE, "")) { try COSESign1(decoding: wrapped) }
        #expect((try? COSESign1(decoding: untagged)) != nil)
    }

    @Test("tag 18 twice is refused")
    func doubleTag18() throws {
        let parts = try coseParts(try Self.issuer.coseSign1(claims: Self.claims, tagging: .untagged))
        let twice = CBORValue(.tagged(18, CBORValue(.tagged(18, .array(parts)))))
        expectCode(.badCOSE) { try COSESign1(decoding: Array(twice.encodedBytes)) }
    }

    @Test("a kid only in the unprotected header is accepted")
    func unprotectedKid() throws {
        let message = try COSESign1(decoding: try Self.issuer.coseSign1(claims: Self.claims, kidPlacement: .unprotected))
        #expect(message.kid == Self.issuer.kid)
    }

    @Test("the protected kid wins over a conflicting unprotected one")
    func protectedKidWins() throws {
        let protectedKid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let unprotectedKid: [UInt8] = [8, 7, 6, 5, 4, 3, 2, 1]
        let bytes = Self.message(protected: [Self.algES256, Self.kid(protectedKid)], unprotected: [Self.kid(unprotectedKid)])
        #expect(try COSESign1(decoding: bytes).kid == protectedKid)
    }

    @Test("a kid that is not 8 bytes is refused", arguments: [0, 1, 7, 9, 16, 32])
    func kidLength(length: Int) throws {
        let wrong = [UInt8](repeating: 0x42, count: length)
        let protected = try Self.issuer.coseSign1(claims: Self.claims, kidPlacement: .protectedOverride(wrong))
        expectCode(.badKid) { try COSESign1(decoding: protected) }
        let unprotected = Self.message(protected: [Self.algES256], unprotected: [Self.kid(wrong)])
        expectCode(.badKid) { try COSESign1(decoding: unprotected) }
    }

    @Test("a kid that is not a byte string is refused")
    func kidType() {
        for value in [CBORValue.text("ABCDEFGH"), .integer(12_345_678), .array([])] {
            let bytes = Self.message(protected: [Self.algES256, (.integer(4), value)])
            expectCode(.badKid) { try COSESign1(decoding: bytes) }
        }
    }

    @Test("a message without a kid is refused")
    func noKid() throws {
        let bytes = try Self.issuer.coseSign1(claims: Self.claims, kidPlacement: .none)
        expectCode(.badKid) { try COSESign1(decoding: bytes) }
    }

    @Test("algorithms other than ES256 (-7) and PS256 (-37) are refused", arguments: [-35, -36, -257, -8, 0, 1, -6, -38] as [Int64])
    func otherAlgorithms(id: Int64) throws {
        let bytes = try Self.issuer.coseSign1(claims: Self.claims, algorithmID: id)
        expectCode(.unsupportedAlgorithm) { try COSESign1(decoding: bytes) }
    }

    @Test("PS256 (-37) is read as PS256")
    func ps256() throws {
        let bytes = Self.message(protected: [(.integer(1), .integer(-37)), Self.kid(Self.issuer.kid)])
        #expect(try COSESign1(decoding: bytes).algorithm == .ps256)
    }

    @Test("a missing or non-integer algorithm is refused")
    func missingAlgorithm() {
        let missing = Self.message(protected: [Self.kid(Self.issuer.kid)])
        expectCode(.unsupportedAlgorithm) { try COSESign1(decoding: missing) }
        let text = Self.message(protected: [(.integer(1), .text("ES256")), Self.kid(Self.issuer.kid)])
        expectCode(.unsupportedAlgorithm) { try COSESign1(decoding: text) }
    }

    @Test("the protected algorithm wins over an unprotected one")
    func protectedAlgorithmWins() throws {
        let bytes = Self.message(
            protected: [Self.algES256, Self.kid(Self.issuer.kid)], unprotected: [(.integer(1), .integer(-37))]
        )
        #expect(try COSESign1(decoding: bytes).algorithm == .es256)
    }

    @Test("structural errors are bad-cose")
    func structure() throws {
        let parts = try coseParts(try Self.issuer.coseSign1(claims: Self.claims))
        let cases: [[CBORValue]] = [
            Array(parts.prefix(3)),  // array of 3
            parts + [.bytes([])],  // array of 5
            [],
            [.text("not a bstr"), parts[1], parts[2], parts[3]],  // protected not a bstr
            [parts[0], .array([]), parts[2], parts[3]],  // unprotected not a map
            [parts[0], parts[1], .null, parts[3]],  // detached payload
            [parts[0], parts[1], parts[2], .text("sig")],  // signature not a bstr
            [.bytes(Array(CBORValue.array([]).encodedBytes)), parts[1], parts[2], parts[3]],  // protected not a map
        ]
        for items in cases {
            expectCode(.badCOSE) { try COSESign1(decoding: coseMessage(items)) }
            expectCode(.badCOSE) { try COSESign1(decoding: coseMessage(items, tag: nil)) }
        }
        // Not an array at all.
        expectCode(.badCOSE) { try COSESign1(decoding: Array(CBORValue.map([]).encodedBytes)) }
    }

    @Test("protected header bytes that are not CBOR are bad-cose")
    func protectedNotCBOR() throws {
        let parts = try coseParts(try Self.issuer.coseSign1(claims: Self.claims))
        let bytes = coseMessage([.bytes([0xA1, 0x01]), parts[1], parts[2], parts[3]])
        expectCode(.badCOSE) { try COSESign1(decoding: bytes) }
    }

    @Test("a protected header with a duplicated label is refused")
    func duplicateProtectedLabel() throws {
        // {1: -7, 4: kid, 4: other kid} written by hand: a canonical map builder would not allow it.
        let kid = Self.issuer.kid
        let header: [UInt8] = [0xA3, 0x01, 0x26, 0x04, 0x48] + kid + [0x04, 0x48] + [UInt8](repeating: 0, count: 8)
        let parts = try coseParts(try Self.issuer.coseSign1(claims: Self.claims))
        expectCode(.badCOSE) { try COSESign1(decoding: coseMessage([.bytes(header), parts[1], parts[2], parts[3]])) }
    }

    @Test("bytes that are not one CBOR item are bad-cbor")
    func notCBOR() throws {
        let good = try Self.issuer.coseSign1(claims: Self.claims)
        for bytes in [[], [0xFF], Array(good.dropLast()), good + [0x00], [0xD2, 0x84, 0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]] as [[UInt8]] {
            expectCode(.badCBOR) { try COSESign1(decoding: bytes) }
        }
    }

    @Test("signedBytes is the RFC 9052 Sig_structure over the protected header as received")
    func sigStructure() throws {
        // A protected header with a non-shortest integer head (-7 as 0x39 0x00 0x06): re-encoding it would
        // change the bytes, so only the received bytes can appear in the Sig_structure.
        let kid = Self.issuer.kid
        let protected: [UInt8] = [0xA2, 0x01, 0x39, 0x00, 0x06, 0x04, 0x48] + kid
        let payload = Array(Self.claims.encodedBytes)

        // RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad (empty), payload].
        var writer = CBORWriter()
        writer.appendHead(major: 4, argument: 4)
        writer.appendTextString("Signature1")
        writer.appendByteString(protected)
        writer.appendByteString([UInt8]())
        writer.appendByteString(payload)
        let expected = writer.bytes
        // The same written out byte by byte (RFC 8949 heads): array(4), text(10), bstr(n), bstr(0), bstr(m).
        var manual: [UInt8] = [0x84, 0x6A] + Array("Signature1".utf8)
        manual += [0x40 | UInt8(protected.count)] + protected
        manual += [0x40]
        manual += (payload.count < 256 ? [0x58, UInt8(payload.count)] : [0x59, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]) + payload
        try #require(manual == expected)

        let signature = try Self.issuer.key.sign(expected, algorithm: .es256)
        let bytes = coseMessage([.bytes(protected), .map([]), .bytes(payload), .bytes(signature)])
        let message = try COSESign1(decoding: bytes)
        #expect(message.protectedHeaderBytes == protected)
        #expect(message.signedBytes == expected)
        #expect(message.algorithm == .es256)
        #expect(Self.issuer.certificate.publicKey.verify(signature: message.signature, for: message.signedBytes, algorithm: .es256) == .valid)
    }

    @Test("an empty protected bstr stands for an empty header")
    func emptyProtected() throws {
        let bytes = Self.message(protected: [], unprotected: [Self.algES256, Self.kid(Self.issuer.kid)])
        let message = try COSESign1(decoding: bytes)
        #expect(message.protectedHeaderBytes.isEmpty)
        #expect(message.kid == Self.issuer.kid)
        // Sig_structure then carries a zero-length bstr (0x40) for the protected header.
        #expect(Array(message.signedBytes[12..<14]) == [0x40, 0x40])
    }
}
