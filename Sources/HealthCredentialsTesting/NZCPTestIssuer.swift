import CBOR
import Foundation
import GateCheckCrypto
import HealthCredentials
import JSON
import NZCovidPass

/// An NZ COVID Pass issuer made in code: a P-256 key under `<did>#<kid>`, its DID document and trust, and signed
/// `NZCP:/1/…` passes. The holder is fictitious. No private key is ever checked in.
public struct NZCPTestIssuer: Sendable {
    public let key: PrivateKey
    public let did: String
    public let kid: String

    /// 2022-01-01: inside `pass()`'s default validity.
    public static let validAt = Date(timeIntervalSince1970: 1_640_995_200)

    public init(did: String = "did:web:nzcp.gatecheck.test", kid: String = "key-1") throws {
        self.key = try PrivateKey.generateP256()
        self.did = did
        self.kid = kid
    }

    /// The trust an NZCP verifier needs for this issuer.
    public var issuers: DIDIssuerKeys {
        DIDIssuerKeys([did: [DIDIssuerKeys.Key(id: did + "#" + kid, publicKey: key.publicKey)]])
    }

    /// The issuer's DID document, as `nzcp/trust/*.json` publishes one (a JWK with x and y, listed as assertion method).
    public var didDocument: [UInt8] {
        // An uncompressed P-256 point ends the SubjectPublicKeyInfo: 04 ‖ x ‖ y.
        let point = key.publicKey.subjectPublicKeyInfoDER.suffix(64)
        let jwk = JSONValue.object(JSONObject([
            ("kty", "EC"), ("crv", "P-256"), ("x", .string(Base64URL.encode(Array(point.prefix(32))))),
            ("y", .string(Base64URL.encode(Array(point.suffix(32))))),
        ]))
        let method = JSONValue.object(JSONObject([
            ("id", .string(did + "#" + kid)), ("controller", .string(did)), ("type", "JsonWebKey2020"), ("publicKeyJwk", jwk),
        ]))
        let document = JSONValue.object(JSONObject([
            ("@context", "https://w3.org/ns/did/v1"), ("id", .string(did)), ("verificationMethod", .array([method])),
            ("assertionMethod", .array([.string(did + "#" + kid)])),
        ]))
        return JSONWriter.bytes(document)
    }

    /// The pass's `vc` claim.
    public static func credential(
        givenName: String = "Test", familyName: String? = "Holder", dob: String = "1990-01-01", type: String = "PublicCovidPass"
    ) -> CBORValue {
        var subject: [(CBORValue, CBORValue)] = [(.text("givenName"), .text(givenName))]
        if let familyName { subject.append((.text("familyName"), .text(familyName))) }
        subject.append((.text("dob"), .text(dob)))
        return .map([
            (.text("@context"), .array([.text("https://www.w3.org/2018/credentials/v1"), .text("https://nzcp.covid19.health.nz/contexts/v1")])),
            (.text("version"), .text("1.0.0")),
            (.text("type"), .array([.text("VerifiableCredential"), .text(type)])),
            (.text("credentialSubject"), .map(subject)),
        ])
    }

    /// The pass's CWT claims: valid 2021-11-01 to 2031-11-01 unless given.
    public func claims(
        notBefore: Date? = Date(timeIntervalSince1970: 1_635_724_800), expiresAt: Date? = Date(timeIntervalSince1970: 1_951_257_600),
        credential: CBORValue = NZCPTestIssuer.credential(), issuer: String? = nil,
        tokenID: [UInt8] = [0x60, 0xA4, 0xF5, 0x4D, 0x4E, 0x30, 0x43, 0x32, 0xBE, 0x33, 0xAD, 0x78, 0xB1, 0xEA, 0xFA, 0x4B]
    ) -> CBORValue {
        var claims: [(CBORValue, CBORValue)] = [(.integer(1), .text(issuer ?? did))]
        if let notBefore { claims.append((.integer(5), .integer(Int64(notBefore.timeIntervalSince1970)))) }
        if let expiresAt { claims.append((.integer(4), .integer(Int64(expiresAt.timeIntervalSince1970)))) }
        claims.append((.integer(7), .bytes(tokenID)))
        claims.append((.text("vc"), credential))
        return .map(claims)
    }

    /// The COSE_Sign1 (tag 18, ES256, kid in the protected header) of `claims`.
    public func cose(_ claims: CBORValue, kid: String? = nil, corruptSignature: Bool = false) throws -> [UInt8] {
        let protected = Array(CBORValue.map([(.integer(1), .integer(-7)), (.integer(4), .bytes(Array((kid ?? self.kid).utf8)))]).encodedBytes)
        let payload = Array(claims.encodedBytes)
        var signature = try key.sign(COSESign1.signedBytes(protectedHeader: protected, payload: payload), algorithm: .es256)
        if corruptSignature { signature[signature.count / 2] ^= 0x01 }
        return Array(CBORValue(.tagged(18, .array([.bytes(protected), .map([]), .bytes(payload), .bytes(signature)]))).encodedBytes)
    }

    /// A complete `NZCP:/1/…` payload.
    public func pass(_ claims: CBORValue? = nil, kid: String? = nil, corruptSignature: Bool = false) throws -> String {
        Self.payload(cose: try cose(claims ?? self.claims(), kid: kid, corruptSignature: corruptSignature))
    }

    /// The QR text for COSE bytes.
    public static func payload(cose: [UInt8]) -> String {
        NZCPVerifier.prefix + NZCPVerifier.version + "/" + Base32.encode(cose)
    }
}
