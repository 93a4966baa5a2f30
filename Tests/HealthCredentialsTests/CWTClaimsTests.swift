import CBOR
import Foundation
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// CWT claims (RFC 8392) as a DCC uses them: iss (1), exp (4), iat (6), hcert (-260 → 1).
@Suite("CWT claims")
struct CWTClaimsTests {
    static let payload = TestCredential.payload(type: .test)

    static func claims(_ entries: [(CBORValue, CBORValue)]) -> [UInt8] {
        Array(CBORValue.map(entries).encodedBytes)
    }

    static var hcert: (CBORValue, CBORValue) { (.integer(-260), .map([(.integer(1), payload)])) }

    @Test("iss, iat, exp and hcert are read")
    func parses() throws {
        let iat: Int64 = 1_640_995_200  // 2022-01-01T00:00:00Z
        let exp: Int64 = 1_672_531_199  // 2022-12-31T23:59:59Z
        let claims = try CWTClaims(decoding: Self.claims([
            (.integer(1), .text("VN")), (.integer(4), .integer(exp)), (.integer(6), .integer(iat)), Self.hcert,
        ]))
        #expect(claims.issuer == "VN")
        #expect(claims.issuedAt == utc(2022, 1, 1))
        #expect(claims.expiresAt == utc(2022, 12, 31, 23, 59, 59))
        #expect(claims.healthCertificate == Self.payload)
        #expect(claims.declaredType == .test)
    }

    @Test("TestCredential claims read back as built")
    func testCredential() throws {
        var credential = TestCredential(type: .recovery)
        credential.issuer = "CH BAG"
        credential.issuedAt = utc(2021, 6, 1, 12)
        credential.expiresAt = utc(2022, 6, 1, 12)
        let claims = try CWTClaims(decoding: Array(credential.claims.encodedBytes))
        #expect(claims.issuer == "CH BAG")
        #expect(claims.issuedAt == utc(2021, 6, 1, 12))
        #expect(claims.expiresAt == utc(2022, 6, 1, 12))
        #expect(claims.healthCertificate == credential.payload)
        #expect(claims.declaredType == .recovery)
    }

    @Test("iss, iat and exp are optional here (policies decide)")
    func optionalClaims() throws {
        let claims = try CWTClaims(decoding: Self.claims([Self.hcert]))
        #expect(claims.issuer == nil)
        #expect(claims.issuedAt == nil)
        #expect(claims.expiresAt == nil)
    }

    @Test("a fractional NumericDate is accepted (RFC 8392 allows it)")
    func floatDate() throws {
        let claims = try CWTClaims(decoding: Self.claims([(.integer(6), .float(1_640_995_200.5)), Self.hcert]))
        #expect(claims.issuedAt == utc(2022, 1, 1).addingTimeInterval(0.5))
    }

    @Test("a missing hcert, or one without an EU DCC under key 1, is bad-cwt")
    func missingHcert() {
        let cases: [[(CBORValue, CBORValue)]] = [
            [(.integer(1), .text("XX")), (.integer(6), .integer(1_650_000_000))],
            [(.integer(-260), .map([(.integer(2), Self.payload)]))],
            [(.integer(-260), .array([Self.payload]))],
            [(.text("-260"), .map([(.integer(1), Self.payload)]))],
        ]
        for entries in cases {
            expectCode(.badCWT) { try CWTClaims(decoding: Self.claims(entries)) }
        }
    }

    @Test(
        "iat or exp that is not a number is bad-cwt",
        arguments: [Int64(4), 6],
        [CBORValue.text("1650000000"), .bytes([0x62, 0x5A]), .null, CBORValue(.bool(true)), .float(.nan), .float(.infinity),
         CBORValue(.negative(UInt64.max)), CBORValue(.unsigned(UInt64.max))]
    )
    func badDate(label: Int64, value: CBORValue) {
        expectCode(.badCWT) { try CWTClaims(decoding: Self.claims([(.integer(label), value), Self.hcert])) }
    }

    @Test("iss that is not text is bad-cwt")
    func badIssuer() {
        expectCode(.badCWT) { try CWTClaims(decoding: Self.claims([(.integer(1), .integer(704)), Self.hcert])) }
    }

    @Test("claims that are not a map are bad-cwt; bytes that are not CBOR are bad-cbor")
    func notAMap() {
        expectCode(.badCWT) { try CWTClaims(decoding: Array(CBORValue.array([Self.hcert.1]).encodedBytes)) }
        expectCode(.badCBOR) { try CWTClaims(decoding: [0xA1, 0x01]) }
        expectCode(.badCBOR) { try CWTClaims(decoding: Self.claims([Self.hcert]) + [0x00]) }
    }

    @Test("declaredType is set only for exactly one non-null v/t/r")
    func declaredType() throws {
        let both = Self.payload.setting("v", to: .array([]))
        let claims = try CWTClaims(decoding: Self.claims([(.integer(-260), .map([(.integer(1), both)]))]))
        #expect(claims.declaredType == nil)
        let nullV = Self.payload.setting("v", to: .null)
        let single = try CWTClaims(decoding: Self.claims([(.integer(-260), .map([(.integer(1), nullV)]))]))
        #expect(single.declaredType == .test)
    }
}
