import HealthCredentials
import JSON
import Zlib

/// A SMART Health Card's compact JWS: `header.payload.signature`, each base64url.
///
/// The header must say `alg` `ES256`, `zip` `DEF` and a `kid`; the payload is raw DEFLATE of the card's JSON.
/// The signature is kept as given: whether it has the raw `r‖s` shape is the signature step's question.
public struct SHCCompactJWS: Sendable {
    /// The bytes the signature covers: the ASCII `header.payload`.
    public let signingInput: [UInt8]
    public let kid: String
    public let signature: [UInt8]
    /// The inflated payload JSON.
    public let payloadJSON: [UInt8]
    public let payload: SHCPayload

    /// Longer than any card: 32 chunks of a version 40 QR code.
    public static let maximumLength = 32 * 3_600
    /// The inflated payload's cap: real cards are 1–10 KB.
    public static let maximumPayloadSize = 256 << 10
    static let headerLimits = JSONLimits(maxBytes: 1_024, maxDepth: 4, maxItems: 64, maxStringLength: 512)
    static let payloadLimits = JSONLimits(maxBytes: maximumPayloadSize, maxDepth: 48, maxItems: 50_000, maxStringLength: 64 << 10)

    public init(_ jws: [UInt8]) throws(CredentialError) {
        var jws = jws[...]
        jws = SHCNumericQR.trimmingWhitespace(jws)
        guard jws.count <= Self.maximumLength else { throw CredentialError(.payloadTooLarge, "a JWS of \(jws.count) bytes") }
        let parts = jws.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw CredentialError(.badJWS, "a compact JWS has three parts, this has \(parts.count)") }

        let header: JSONValue
        do {
            header = try JSONParser.parse(try Base64URL.decode(Array(parts[0])), limits: Self.headerLimits)
        } catch let error as CredentialError {
            throw CredentialError(.badJWS, "the header: \(error.detail)")
        } catch {
            throw CredentialError(.badJWS, "the header is not JSON")
        }
        guard let object = header.object else { throw CredentialError(.badJWS, "the header is not a JSON object") }
        guard let algorithm = object["alg"] else { throw CredentialError(.badJWS, "the header has no alg") }
        guard algorithm.string == "ES256" else { throw CredentialError(.unsupportedAlgorithm, "alg is not ES256") }
        guard let kid = object["kid"]?.string, !kid.isEmpty else { throw CredentialError(.badJWS, "the header has no kid") }
        guard object["zip"] != nil else { throw CredentialError(.badJWS, "the header has no zip (the payload must be DEFLATE-compressed)") }
        guard object["zip"]?.string == "DEF" else { throw CredentialError(.badJWS, "zip is not DEF") }
        self.kid = kid

        signature = try Base64URL.decode(Array(parts[2]))
        let compressed = try Base64URL.decode(Array(parts[1]))
        do {
            payloadJSON = try Inflate.raw(compressed, maximumOutput: Self.maximumPayloadSize)
        } catch .outputTooLarge(let limit) {
            throw CredentialError(.decompressedTooLarge, "the payload inflates beyond \(limit) bytes")
        } catch {
            throw CredentialError(.badCompression, "the payload is not raw DEFLATE: \(error)")
        }
        // Policy: a byte-order mark before the JSON is refused, as the SMART validator does (it reports an error);
        // JSON in a JWS is UTF-8 without one (RFC 8259 §8.1).
        guard !payloadJSON.starts(with: [0xEF, 0xBB, 0xBF]) else {
            throw CredentialError(.badJSON, "the payload starts with a byte-order mark")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(payloadJSON, limits: Self.payloadLimits)
        } catch {
            throw CredentialError(.badJSON, "the payload: \(error.code)")
        }
        payload = try SHCPayload(value)
        signingInput = Array(jws[..<parts[1].endIndex])
    }
}

/// A card's payload claims. Only `iss` is required here (it names the keys); the rest are read as given and
/// judged by the verifier's steps, so one report can show every problem.
public struct SHCPayload: Sendable {
    public let issuer: String
    /// `nbf` in seconds since 1970, fractions allowed; nil when absent or not a number.
    public let notBefore: Double?
    /// `exp`, when present and a number.
    public let expiry: Double?
    /// Whether `exp` is present but not a number.
    public let hasMalformedExpiry: Bool
    /// The whole `vc` member, when it is an object.
    public let credential: JSONObject?
    public let json: JSONValue

    init(_ value: JSONValue) throws(CredentialError) {
        guard value.object != nil else { throw CredentialError(.badJSON, "the payload is not a JSON object") }
        guard let issuer = value["iss"]?.string else { throw CredentialError(.badJSON, "the payload has no iss") }
        self.issuer = issuer
        notBefore = value["nbf"]?.number.map(\.double).flatMap { $0.isFinite ? $0 : nil }
        let expiry = value["exp"]?.number.map(\.double).flatMap { $0.isFinite ? $0 : nil }
        self.expiry = expiry
        hasMalformedExpiry = value["exp"] != nil && expiry == nil
        credential = value["vc"]?.object
        json = value
    }

    /// `vc.rid`, the revocation identifier, when present.
    public var revocationID: String? { credential?["rid"]?.string }
}
