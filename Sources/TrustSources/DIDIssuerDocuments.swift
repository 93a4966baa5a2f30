import HealthCredentials
import JSON
import NZCovidPass

/// Pinned DID documents of credential issuers whose keys are plain JWKs (no `x5c`): the NZ COVID Pass issuers
/// (`did:web:nzcp.identity.health.nz`, the spec's `did:web:nzcp.covid19.health.nz`). `did:web` documents carry no
/// signature of their own: pinning one offline (a file put into a signed trust bundle) is what makes it trusted.
/// Only the keys a document lists under `assertionMethod` are kept.
public enum DIDIssuerDocuments {
    /// Issuer documents hold a handful of keys.
    public static let maximumSize = 1 << 20
    static let jsonLimits = JSONLimits(maxBytes: maximumSize, maxDepth: 16, maxItems: 100_000, maxStringLength: 64 << 10)

    /// A DID document with at least one JWK verification method and no `x5c` chains (those are GDHCN trust lists).
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= maximumSize, let document = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits),
            let id = document["id"]?.string, id.hasPrefix("did:"), let methods = document["verificationMethod"]?.array
        else { return false }
        let keys = methods.compactMap { $0["publicKeyJwk"] }
        return !keys.isEmpty && keys.allSatisfy { $0["x5c"] == nil }
    }

    public static func read(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> DIDIssuerKeys {
        guard bytes.count <= maximumSize else { throw TrustSourceError(.tooLarge, path: path, "larger than \(maximumSize) bytes") }
        guard looksLike(bytes) else {
            throw TrustSourceError(.unrecognisedFormat, path: path, "not a DID document whose keys are plain JWKs")
        }
        let document: DIDDocument
        do {
            document = try DIDDocument(bytes: bytes)
        } catch {
            throw TrustSourceError(.badKey, path: path, error.detail)
        }
        let keys = DIDIssuerKeys([document])
        guard keys.count > 0 else {
            throw TrustSourceError(.badKey, path: path, "the DID document lists no assertionMethod key")
        }
        return keys
    }
}
