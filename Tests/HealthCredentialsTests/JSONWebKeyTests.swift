import Foundation
import GateCheckCrypto
import HealthCredentials
import JSON
import Testing

@Suite("Base64URL, JSON Web Keys and DID documents")
struct JSONWebKeyTests {
    /// RFC 7515 appendix A.3's P-256 key and RFC 7638's thumbprint construction.
    static let rfcKey = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k1"}"#

    @Test func base64URLRoundTripsAndIsStrict() throws {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(try Base64URL.decode(text) == bytes)
            #expect(Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                + String(repeating: "=", count: (4 - text.count % 4) % 4)) == Data(bytes))
        }
        #expect(throws: CredentialError.self) { try Base64URL.decode("ab+c") }
        #expect(throws: CredentialError.self) { try Base64URL.decode("abcde") }
        #expect(throws: CredentialError.self) { try Base64URL.decode("YR") }  // trailing bits set ("a" is YQ)
        #expect(throws: CredentialError.self) { try Base64URL.decode("YQ==") }
        #expect(try Base64URL.decode("YQ==", allowingPadding: true) == [0x61])
    }

    @Test func anECKeyGivesItsThumbprintAndVerifies() throws {
        let key = try JSONWebKey(JSONParser.parse(Self.rfcKey))
        #expect(key.curve == .p256)
        #expect(key.keyID == "k1")
        // SHA-256 over {"crv","kty","x","y"}, computed independently here.
        let members = #"{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        #expect(key.thumbprint == Base64URL.encode(Digest.sha256(Array(members.utf8))))
        #expect(key.publicKey.kind == .ec(curve: "prime256v1"))
    }

    @Test func aKeyMadeFromItsCoordinatesVerifiesItsSignatures() throws {
        for (curve, name, hash) in [(PublicKey.NamedCurve.p256, "P-256", DigestAlgorithm.sha256), (.p384, "P-384", .sha384), (.p521, "P-521", .sha512)] {
            let privateKey = try PrivateKey.generateEC(curve: name)
            let point = Array(privateKey.publicKey.subjectPublicKeyInfoDER.suffix(2 * curve.coordinateLength))
            let rebuilt = try PublicKey(curve: curve, x: Array(point.prefix(curve.coordinateLength)), y: Array(point.suffix(curve.coordinateLength)))
            #expect(rebuilt.subjectPublicKeyInfoDER == privateKey.publicKey.subjectPublicKeyInfoDER)
            let message = Array("signed by \(name)".utf8)
            for encoding in [ECDSASignatureFormat.raw, .der] {
                let signature = try privateKey.sign(message, algorithm: .ecdsa(hash: hash, encoding: encoding))
                #expect(rebuilt.verify(signature: signature, for: message, algorithm: .ecdsa(hash: hash, encoding: encoding)) == .valid)
                #expect(rebuilt.verify(signature: signature, for: message + [0], algorithm: .ecdsa(hash: hash, encoding: encoding)) == .invalid)
            }
            let raw = try privateKey.sign(message, algorithm: .ecdsa(hash: hash, encoding: .raw))
            #expect(raw.count == 2 * curve.coordinateLength)
            #expect(rebuilt.verify(signature: raw.dropLast(), for: message, algorithm: .ecdsa(hash: hash, encoding: .raw)) == .malformedSignature)
        }
    }

    @Test func badKeysAreRefused() throws {
        let refused = [
            #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#,
            #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}"#,
            #"{"kty":"EC","crv":"secp256k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
            #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRV","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
            #"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
            #"{"crv":"P-256"}"#,
            #"[]"#,
        ]
        for text in refused {
            #expect(throws: CredentialError.self, "\(text)") { try JSONWebKey(JSONParser.parse(text)) }
        }
    }

    @Test func aDIDDocumentListsItsKeysAndAssertionMethods() throws {
        let document = #"""
            {"id":"did:web:example.org","verificationMethod":[
              {"id":"did:web:example.org#key-1","controller":"did:web:example.org","type":"JsonWebKey2020","publicKeyJwk":\#(Self.rfcKey)},
              {"id":"#key-2","type":"Ed25519VerificationKey2018","publicKeyBase58":"x"}],
             "assertionMethod":["#key-1"]}
            """#
        let parsed = try DIDDocument(bytes: Array(document.utf8))
        #expect(parsed.id == "did:web:example.org")
        #expect(parsed.verificationMethods.map(\.id) == ["did:web:example.org#key-1"])
        #expect(parsed.verificationMethods.first?.fragment == "key-1")
        #expect(parsed.assertionMethodIDs == ["did:web:example.org#key-1"])
        #expect(throws: CredentialError.self) { try DIDDocument(bytes: Array(#"{"id":"https://example.org"}"#.utf8)) }
        #expect(throws: CredentialError.self) {
            try DIDDocument(bytes: Array(##"{"id":"did:web:x","verificationMethod":[{"id":"#k","publicKeyJwk":{"kty":"EC"}}]}"##.utf8))
        }
    }
}
