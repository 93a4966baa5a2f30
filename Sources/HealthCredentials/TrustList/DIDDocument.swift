import JSON

/// A W3C DID document's keys: the shape both the WHO GDHCN trust list and NZCP issuers publish.
///
/// Only `id` and `verificationMethod` (with `publicKeyJwk`) are read, plus `assertionMethod` references, which
/// name the keys allowed to sign credentials. A method that is not a JWK is left out; a JWK that does not parse
/// refuses the document, since a trust source is all or nothing.
public struct DIDDocument: Sendable {
    public struct VerificationMethod: Sendable {
        /// The full id, e.g. `did:web:nzcp.identity.health.nz#z12Kf7UQ`.
        public let id: String
        public let controller: String?
        public let key: JSONWebKey

        /// The part after `#`, which credentials use as their kid; the whole id when there is no `#`.
        public var fragment: String {
            guard let hash = id.firstIndex(of: "#") else { return id }
            return String(id[id.index(after: hash)...])
        }
    }

    public let id: String
    public let verificationMethods: [VerificationMethod]
    /// Ids (made absolute) of the methods listed under `assertionMethod`; empty when the document has none.
    public let assertionMethodIDs: [String]

    /// GDHCN lists hold a few thousand keys; NZCP documents one or two.
    public static let limits = JSONLimits(maxBytes: 32 << 20, maxDepth: 16, maxItems: 2_000_000, maxStringLength: 64 << 10)

    public init(bytes: [UInt8]) throws(CredentialError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(skippingByteOrderMark: bytes, limits: Self.limits)
        } catch {
            throw CredentialError(.badTrustList, "the DID document is not JSON: \(error)")
        }
        try self.init(document)
    }

    public init(_ document: JSONValue) throws(CredentialError) {
        guard let id = document["id"]?.string, id.hasPrefix("did:") else { throw CredentialError(.badTrustList, "the DID document has no did: id") }
        self.id = id
        var methods: [VerificationMethod] = []
        for (index, method) in (document["verificationMethod"]?.array ?? []).enumerated() {
            guard let methodID = method["id"]?.string else { throw CredentialError(.badTrustList, "verificationMethod \(index) has no id") }
            guard let jwk = method["publicKeyJwk"] else { continue }
            let key: JSONWebKey
            do {
                key = try JSONWebKey(jwk)
            } catch {
                throw CredentialError(.badTrustList, "verificationMethod \(methodID): \(error.detail)")
            }
            methods.append(VerificationMethod(id: Self.absolute(methodID, in: id), controller: method["controller"]?.string, key: key))
        }
        verificationMethods = methods
        assertionMethodIDs = (document["assertionMethod"]?.array ?? []).compactMap { reference in
            (reference.string ?? reference["id"]?.string).map { Self.absolute($0, in: id) }
        }
    }

    /// `#key-1` relative to the document is `<id>#key-1`.
    private static func absolute(_ reference: String, in id: String) -> String {
        reference.hasPrefix("#") ? id + reference : reference
    }
}
