import FoundationEssentials
import GateCheckCrypto
import JSON

/// A public JSON Web Key (RFC 7517) as SMART Health Card issuers, NZCP DID documents and the WHO GDHCN trust list
/// publish them. Only EC keys on the NIST curves are accepted, and a key carrying private material (`d`) is
/// refused outright: publishing it means the key is compromised.
public struct JSONWebKey: Sendable {
    public let keyType: String
    public let curve: PublicKey.NamedCurve?
    public let keyID: String?
    /// `alg`, when given (e.g. `ES256`).
    public let algorithm: String?
    /// `use`, when given (`sig` for signing keys).
    public let use: String?
    /// The `x5c` chain, leaf first, as DER.
    public let certificateChain: [[UInt8]]
    /// SMART Health Cards: the CRL version this key's revocation list has reached; nil when it has none.
    public let crlVersion: Int64?
    /// The key itself: from `x`/`y` for an EC key, else from the `x5c` leaf.
    public let publicKey: PublicKey
    /// The RFC 7638 thumbprint (SHA-256 over the required members), base64url: SMART Health Cards' `kid`.
    public let thumbprint: String

    /// Reads one key. `x5c` members are standard base64 (RFC 7517 §4.7); coordinates are base64url.
    public init(_ value: JSONValue) throws(CredentialError) {
        guard let key = value.object else { throw CredentialError(.badTrustList, "a JWK is not a JSON object") }
        guard key["d"] == nil else { throw CredentialError(.badTrustList, "the JWK holds a private key (d)") }
        guard let keyType = key["kty"]?.string else { throw CredentialError(.badTrustList, "the JWK has no kty") }
        self.keyType = keyType
        keyID = try Self.optionalString(key, "kid")
        algorithm = try Self.optionalString(key, "alg")
        use = try Self.optionalString(key, "use")
        if let crlVersion = key["crlVersion"] {
            guard let number = crlVersion.int64, number >= 0 else { throw CredentialError(.badTrustList, "crlVersion is not a whole number") }
            self.crlVersion = number
        } else {
            crlVersion = nil
        }
        var chain: [[UInt8]] = []
        if let x5c = key["x5c"] {
            guard let entries = x5c.array, !entries.isEmpty, entries.count <= 8 else {
                throw CredentialError(.badTrustList, "x5c is not an array of 1 to 8 certificates")
            }
            for entry in entries {
                guard let text = entry.string, let der = Data(base64Encoded: text) else {
                    throw CredentialError(.badTrustList, "an x5c entry is not base64")
                }
                chain.append(Array(der))
            }
        }
        certificateChain = chain

        switch keyType {
        case "EC":
            guard let name = key["crv"]?.string, let curve = PublicKey.NamedCurve(rawValue: name) else {
                throw CredentialError(.badTrustList, "the EC JWK's crv is not P-256, P-384 or P-521")
            }
            guard let x = key["x"]?.string, let y = key["y"]?.string else { throw CredentialError(.badTrustList, "the EC JWK lacks x or y") }
            self.curve = curve
            do {
                publicKey = try PublicKey(curve: curve, x: Base64URL.decode(x), y: Base64URL.decode(y))
            } catch let error as CredentialError {
                throw CredentialError(.badTrustList, "the EC JWK's coordinates: \(error.detail)")
            } catch {
                throw CredentialError(.badTrustList, "the EC JWK is not a point on \(name)")
            }
            // RFC 7638: the required members, in lexicographic order, no whitespace.
            thumbprint = Base64URL.encode(Digest.sha256(Array(#"{"crv":"\#(name)","kty":"EC","x":"\#(x)","y":"\#(y)"}"#.utf8)))
        default:
            // Other key types are usable only through their certificate (the GDHCN list publishes RSA DSCs so).
            guard let leaf = chain.first else { throw CredentialError(.badTrustList, "a \(keyType) JWK without x5c is not supported") }
            do {
                publicKey = try Certificate(derEncoded: leaf).publicKey
            } catch {
                throw CredentialError(.badTrustList, "the JWK's x5c certificate does not parse (\(error.code))")
            }
            curve = nil
            thumbprint = Base64URL.encode(Digest.sha256(leaf))
        }
    }

    private static func optionalString(_ key: JSONObject, _ name: String) throws(CredentialError) -> String? {
        guard let value = key[name] else { return nil }
        guard let text = value.string else { throw CredentialError(.badTrustList, "the JWK's \(name) is not a string") }
        return text
    }
}
