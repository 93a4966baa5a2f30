import Foundation
import GateCheckCrypto
import HealthCredentials
import JSON
import SmartHealthCards
import Zlib

/// A SMART Health Card issuer-in-a-box for tests, benchmarks and demos: a P-256 key made in code, its JWK named
/// by its thumbprint, an optional rid CRL, and signed cards as JWS or `shc:/` QR text. No private key is checked in.
public struct SHCTestIssuer: Sendable {
    public let iss: String
    public let key: PrivateKey
    public let kid: String
    /// The public JWK, as `<iss>/.well-known/jwks.json` would list it.
    public let jwk: JSONValue
    /// The rid CRL (version 1) when the issuer was made with revoked rids.
    public let crl: JSONValue?

    /// A time inside every default card's validity (2023-11-14).
    public static let validAt = Date(timeIntervalSince1970: 1_700_000_000)

    public init(iss: String = "https://issuer.gatecheck.test/shc", revokedRIDs: [String]? = nil) throws {
        let key = try PrivateKey.generateP256()
        // An uncompressed P-256 point ends the SPKI: 04 ‖ x ‖ y.
        let point = key.publicKey.subjectPublicKeyInfoDER.suffix(64)
        let x = Base64URL.encode(point.prefix(32))
        let y = Base64URL.encode(point.suffix(32))
        let kid = Base64URL.encode(Digest.sha256(Array(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#.utf8)))
        var members: [(String, JSONValue)] = [
            ("kty", "EC"), ("kid", .string(kid)), ("use", "sig"), ("alg", "ES256"), ("crv", "P-256"), ("x", .string(x)), ("y", .string(y)),
        ]
        if revokedRIDs != nil { members.append(("crlVersion", 1)) }
        self.iss = iss
        self.key = key
        self.kid = kid
        self.jwk = .object(members)
        self.crl = revokedRIDs.map { rids in
            .object([("kid", .string(kid)), ("method", "rid"), ("ctr", 1), ("rids", .array(rids.map { .string($0) }))])
        }
    }

    public var jwks: JSONValue { .object([("keys", [jwk])]) }

    /// A directory trusting this issuer only.
    public var directory: SHCIssuerDirectory {
        get throws { try SHCIssuerDirectory(issuers: [SHCIssuerDirectory.Issuer(iss: iss, jwks: jwks, crls: crl.map { [$0] } ?? [])]) }
    }

    /// A card's contents.
    public struct Card: Sendable {
        public enum Kind: Sendable { case vaccination, labTest }
        public var kind: Kind = .vaccination
        public var notBefore: Double = 1_690_000_000.5
        public var expiry: Double?
        public var rid: String?
        public var familyName = "Mustermann"
        public var givenNames = ["Erika"]
        public var birthDate = "1964-08-12"
        public var types = ["https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"]

        public init(kind: Kind = .vaccination) {
            self.kind = kind
            if kind == .labTest { types = ["https://smarthealth.cards#health-card", "https://smarthealth.cards#laboratory"] }
        }
    }

    /// The minified payload JSON of `card` from this issuer.
    public func payload(_ card: Card = Card()) -> [UInt8] {
        let patient: JSONValue = .object([
            ("resourceType", "Patient"),
            ("name", [.object([("family", .string(card.familyName)), ("given", .array(card.givenNames.map { .string($0) }))])]),
            ("birthDate", .string(card.birthDate)),
        ])
        let record: JSONValue =
            switch card.kind {
            case .vaccination:
                .object([
                    ("resourceType", "Immunization"), ("status", "completed"),
                    ("vaccineCode", .object([("coding", [.object([("system", "http://hl7.org/fhir/sid/cvx"), ("code", "207")])])])),
                    ("patient", .object([("reference", "resource:0")])), ("occurrenceDateTime", "2021-01-01"),
                ])
            case .labTest:
                .object([
                    ("resourceType", "Observation"), ("status", "final"),
                    (
                        "category",
                        [
                            .object([
                                (
                                    "coding",
                                    [.object([("system", "http://terminology.hl7.org/CodeSystem/observation-category"), ("code", "laboratory")])]
                                )
                            ])
                        ]
                    ),
                    ("code", .object([("coding", [.object([("system", "http://loinc.org"), ("code", "94558-4")])])])),
                    ("subject", .object([("reference", "resource:0")])), ("effectiveDateTime", "2021-02-17"),
                ])
            }
        let bundle: JSONValue = .object([
            ("resourceType", "Bundle"), ("type", "collection"),
            ("entry", [.object([("fullUrl", "resource:0"), ("resource", patient)]), .object([("fullUrl", "resource:1"), ("resource", record)])]),
        ])
        var credential: [(String, JSONValue)] = [
            ("type", .array(card.types.map { .string($0) })),
            ("credentialSubject", .object([("fhirVersion", "4.0.1"), ("fhirBundle", bundle)])),
        ]
        if let rid = card.rid { credential.append(("rid", .string(rid))) }
        var claims: [(String, JSONValue)] = [
            ("iss", .string(iss)), ("nbf", .number(JSONNumber(keepingFraction: card.notBefore) ?? JSONNumber(Int64(0)))),
        ]
        if let expiry = card.expiry { claims.append(("exp", .number(JSONNumber(keepingFraction: expiry) ?? JSONNumber(Int64(0))))) }
        claims.append(("vc", .object(credential)))
        return JSONWriter.bytes(.object(claims))
    }

    /// Signs `payloadJSON` as a compact JWS: header `{"zip":"DEF","alg":"ES256","kid":…}` unless `header` is given.
    public func jws(payloadJSON: [UInt8], header: [UInt8]? = nil, compress: Bool = true) throws -> [UInt8] {
        let header = header ?? Array(#"{"zip":"DEF","alg":"ES256","kid":"\#(kid)"}"#.utf8)
        let body = compress ? Deflate.raw(payloadJSON) : payloadJSON
        let signingInput = Array((Base64URL.encode(header) + "." + Base64URL.encode(body)).utf8)
        let signature = try key.sign(signingInput, algorithm: .es256)
        return signingInput + Array(("." + Base64URL.encode(signature)).utf8)
    }

    public func jws(_ card: Card = Card()) throws -> [UInt8] { try jws(payloadJSON: payload(card)) }

    /// The `shc:/` QR text of `card`.
    public func qr(_ card: Card = Card()) throws -> String {
        String(decoding: SHCNumericQR.encode(jws: try jws(card)), as: UTF8.self)
    }

    /// The card split into `count` chunks `shc:/i/n/…`, in order.
    public func chunks(_ card: Card = Card(), count: Int) throws -> [String] {
        let characters = try jws(card)
        let size = (characters.count + count - 1) / count
        return (0..<count).map { index in
            let part = Array(characters.dropFirst(index * size).prefix(size))
            let digits = SHCNumericQR.encode(jws: part).dropFirst("shc:/".count)
            return "shc:/\(index + 1)/\(count)/" + String(decoding: digits, as: UTF8.self)
        }
    }
}
