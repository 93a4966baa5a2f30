import CBOR
import FoundationEssentials
import HealthCredentials

/// The CWT claims of an NZ COVID Pass: `iss` (1, a `did:web`), `nbf` (5), `exp` (4), `cti` (7) and `vc`.
///
/// Only the claims' shape is read here (a decode failure is `bad-cwt`); what they must say is for the
/// verification steps: `nbf`/`exp` for the token's validity, `cti` and `vc` for the schema.
public struct NZCPClaims: Sendable {
    public let issuer: String
    public let notBefore: Date?
    public let expiresAt: Date?
    /// `cti`, when it is a byte string (the schema step wants one of 16 bytes).
    public let tokenID: [UInt8]?
    /// The W3C verifiable credential (`vc`), still as CBOR.
    public let credential: CBORValue?

    private enum Label {
        static let issuer: Int64 = 1
        static let expiresAt: Int64 = 4
        static let notBefore: Int64 = 5
        static let tokenID: Int64 = 7
    }

    public init(decoding bytes: [UInt8]) throws(CredentialError) {
        let claims: CBORValue
        do {
            claims = try CBORParser.decode(bytes, limits: NZCPVerifier.cborLimits)
        } catch {
            throw CredentialError(.badCBOR, "CWT claims: \(error)")
        }
        guard claims.mapEntries != nil else { throw CredentialError(.badCWT, "CWT claims are not a map") }
        guard let issuer = claims[Label.issuer]?.string else { throw CredentialError(.badCWT, "iss is missing or not a text string") }
        self.issuer = issuer
        notBefore = try Self.date(claims[Label.notBefore], name: "nbf")
        expiresAt = try Self.date(claims[Label.expiresAt], name: "exp")
        tokenID = claims[Label.tokenID].flatMap(Self.bytes)
        credential = claims["vc"]
    }

    /// The `jti` the spec derives from a 16-byte `cti`: `urn:uuid:` and the UUID in its 8-4-4-4-12 form.
    public var jti: String? {
        guard let tokenID, tokenID.count == 16 else { return nil }
        let hex = tokenID.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }
        let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
        return "urn:uuid:" + groups.joined(separator: "-")
    }

    /// A byte string, also as an RFC 8746 uint8 typed array (tag 64), which early NZCP issuers wrote.
    private static func bytes(_ value: CBORValue) -> [UInt8]? {
        if case .tagged(64, let inner) = value.content { return inner.byteString }
        return value.byteString
    }

    /// NumericDate: NZCP issuers write integers; a float is read as RFC 8392 allows.
    private static func date(_ value: CBORValue?, name: String) throws(CredentialError) -> Date? {
        guard let value else { return nil }
        switch value.content {
        case .unsigned, .negative:
            guard let seconds = value.int64 else { throw CredentialError(.badCWT, "\(name) is out of range") }
            return Date(timeIntervalSince1970: Double(seconds))
        case .float(let seconds) where seconds.isFinite:
            return Date(timeIntervalSince1970: seconds)
        default:
            throw CredentialError(.badCWT, "\(name) is not a number")
        }
    }
}
