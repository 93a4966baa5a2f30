import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The issuers an NZCP verifier trusts: `did:web` DID documents pinned offline, each reduced to the keys its
/// `assertionMethod` names (only those may sign credentials). Immutable: build a new value when trust changes.
///
/// Its trust bundle section is `{"issuers":[{"id":<did>,"keys":[{"id":<did>#<fragment>,"spki":<base64 DER>}]}]}`,
/// issuers and keys sorted by id, written with sorted members: the same value always gives the same bytes.
public struct DIDIssuerKeys: Sendable {
    public struct Key: Sendable {
        /// The full method id, `<did>#<fragment>`.
        public let id: String
        public let publicKey: PublicKey

        public init(id: String, publicKey: PublicKey) {
            self.id = id
            self.publicKey = publicKey
        }
    }

    /// Assertion keys by issuer DID.
    private let keysByIssuer: [String: [Key]]

    public static let empty = DIDIssuerKeys(keysByIssuer: [:])

    /// Bounds for a section: far more issuers and keys than exist.
    static let maximumKeys = 10_000
    static let sectionLimits = JSONLimits(maxBytes: 4 << 20, maxDepth: 8, maxItems: 100_000, maxStringLength: 16 << 10)

    private init(keysByIssuer: [String: [Key]]) {
        self.keysByIssuer = keysByIssuer
    }

    /// The assertion keys of pinned DID documents. A key listed twice (same id, same key) is kept once.
    public init(_ documents: [DIDDocument]) {
        var keys: [String: [Key]] = [:]
        for document in documents {
            for method in document.verificationMethods where document.assertionMethodIDs.contains(method.id) {
                keys[document.id, default: []].append(Key(id: method.id, publicKey: method.key.publicKey))
            }
        }
        self.init(keys)
    }

    /// Issuers and their assertion keys given directly (e.g. by a test issuer).
    public init(_ keys: [String: [Key]]) {
        var unique: [String: [Key]] = [:]
        for (issuer, issuerKeys) in keys {
            for key in issuerKeys where !(unique[issuer] ?? []).contains(where: { Self.same($0, key) }) {
                unique[issuer, default: []].append(key)
            }
        }
        self.init(keysByIssuer: unique)
    }

    public var count: Int { keysByIssuer.values.reduce(0) { $0 + $1.count } }
    public var issuers: [String] { keysByIssuer.keys.sorted() }
    /// The ids of an issuer's keys, in document order (for listing trust, e.g. `trust bundle diff`).
    public func keyIDs(of issuer: String) -> [String] { keysByIssuer[issuer]?.map(\.id) ?? [] }

    /// Whether `issuer` is a trusted DID at all (to tell `unknown-issuer` from `unknown-signer`).
    public func trusts(issuer: String) -> Bool { keysByIssuer[issuer] != nil }

    /// The keys an issuer's DID document lists as assertion methods under `<issuer>#<kid>`.
    public func keys(issuer: String, kid: String) -> [PublicKey] {
        let id = issuer + "#" + kid
        return (keysByIssuer[issuer] ?? []).filter { $0.id == id }.map(\.publicKey)
    }

    public func merging(_ other: DIDIssuerKeys) -> DIDIssuerKeys {
        DIDIssuerKeys(keysByIssuer.merging(other.keysByIssuer) { $0 + $1 })
    }

    private static func same(_ lhs: Key, _ rhs: Key) -> Bool {
        lhs.id == rhs.id && lhs.publicKey.subjectPublicKeyInfoDER == rhs.publicKey.subjectPublicKeyInfoDER
    }

    // MARK: The trust bundle section.

    public var sectionBytes: [UInt8] {
        let issuers: [JSONValue] = keysByIssuer.keys.sorted().map { issuer in
            let keys: [JSONValue] = (keysByIssuer[issuer] ?? []).sorted { ($0.id, Self.base64($0)) < ($1.id, Self.base64($1)) }.map { key in
                .object(JSONObject([("id", .string(key.id)), ("spki", .string(Self.base64(key)))]))
            }
            return .object(JSONObject([("id", .string(issuer)), ("keys", .array(keys))]))
        }
        return JSONWriter.bytes(.object(JSONObject([("issuers", .array(issuers))])), memberOrder: .sortedByUTF16)
    }

    public init(sectionBytes: [UInt8]) throws(CredentialError) {
        guard sectionBytes.count <= Self.sectionLimits.maxBytes,
            let section = try? JSONParser.parse(sectionBytes, limits: Self.sectionLimits),
            let object = section.object, object.count == 1, let issuers = object["issuers"]?.array
        else { throw CredentialError(.badTrustList, "the NZCP issuer section is not {\"issuers\":[…]}") }
        var keys: [String: [Key]] = [:]
        var total = 0
        for issuer in issuers {
            guard let entry = issuer.object, entry.count == 2, let id = entry["id"]?.string, id.hasPrefix("did:"), keys[id] == nil,
                let issuerKeys = entry["keys"]?.array
            else { throw CredentialError(.badTrustList, "an NZCP issuer entry is not {id, keys}, or is listed twice") }
            total += issuerKeys.count
            guard total <= Self.maximumKeys else { throw CredentialError(.badTrustList, "more than \(Self.maximumKeys) NZCP issuer keys") }
            var parsed: [Key] = []
            for key in issuerKeys {
                guard let member = key.object, member.count == 2, let keyID = member["id"]?.string, keyID.hasPrefix(id + "#"),
                    let spki = member["spki"]?.string, let der = Data(base64Encoded: spki),
                    let publicKey = try? PublicKey(subjectPublicKeyInfoDER: Array(der))
                else { throw CredentialError(.badTrustList, "an NZCP issuer key is not {id: <did>#<kid>, spki: <base64 DER key>}") }
                parsed.append(Key(id: keyID, publicKey: publicKey))
            }
            keys[id] = parsed
        }
        self.init(keys)
        guard self.sectionBytes == sectionBytes else {
            throw CredentialError(.badTrustList, "the NZCP issuer section is not in its canonical form")
        }
    }

    private static func base64(_ key: Key) -> String {
        Data(key.publicKey.subjectPublicKeyInfoDER).base64EncodedString()
    }
}

extension DIDIssuerKeys: FrameworkTrust {}
