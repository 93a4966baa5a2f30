import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The trust of SMART Health Cards: issuers by their exact `iss`, each with its signing keys by `kid` and the
/// rid revocation lists of those keys.
///
/// Everything is checked when an issuer is imported, and anything wrong refuses the import (fail closed), so a
/// directory holds only keys a card may be verified with:
/// - `iss` is an `https` URL with a host, no trailing slash, query, fragment or whitespace;
/// - every key is an EC P-256 key, `alg` `ES256`, `use` `sig`, whose `kid` is its RFC 7638 thumbprint, with no
///   private part; an `x5c` chain must hold the same key in its leaf and be signed link by link, and (see
///   ``X5CPolicy``) name `iss` as a URI subject alternative name. Its dates are not checked: the chains of the
///   spec's own examples have expired, and trust comes from the directory, not from the chain;
/// - a key with `crlVersion` must come with its CRL of that version (`ctr`), and a CRL must belong to such a key;
///   a CRL's method is `rid`, its rids base64url of at most 24 characters, optionally `.<timestamp>`, each rid
///   listed once.
public struct SHCIssuerDirectory: Sendable {
    public struct Key: Sendable {
        public let kid: String
        public let publicKey: PublicKey
        /// The JWK as imported, reduced to its meaningful members (the form written to a bundle).
        let json: JSONValue
        public let crlVersion: Int64?
    }

    /// One key's rid list (`<iss>/.well-known/crl/<kid>.json`).
    public struct RevocationList: Sendable {
        public let kid: String
        public let version: Int64
        /// rid → the time (seconds since 1970) from which cards with that rid are revoked: cards whose `nbf` is
        /// before it; nil revokes every card with the rid.
        public let revokedBefore: [String: Int64?]

        /// Whether a card with `rid`, not valid before `notBefore`, is revoked.
        public func revokes(rid: String, notBefore: Double?) -> Bool {
            guard let entry = revokedBefore[rid] else { return false }
            guard let timestamp = entry else { return true }
            guard let notBefore else { return true }
            return notBefore < Double(timestamp)
        }
    }

    /// Whether an `x5c` leaf must name the issuer. The spec says it must; the VCI directory nevertheless lists
    /// issuers (Yukon, Rhode Island, …) whose leaves name the spec's example issuer, and vouches for them itself.
    public enum X5CPolicy: Sendable {
        /// The leaf's URI subject alternative names include `iss` (a loose JWKS, an issuer's `.well-known`).
        case requireIssuerName
        /// Leaf key and chain signatures only (a vetted directory, a bundle section made from one).
        case keyAndChainOnly
    }

    public struct Issuer: Sendable {
        public let iss: String
        public let keys: [String: Key]
        public let revocationLists: [String: RevocationList]

        /// Imports one issuer: its JWKS (`{"keys": [...]}`) and the CRLs of its keys.
        public init(iss: String, jwks: JSONValue, crls: [JSONValue] = [], x5c: X5CPolicy = .requireIssuerName) throws(CredentialError) {
            guard let keys = jwks["keys"]?.array else { throw CredentialError(.badTrustList, "\(iss): the JWKS has no keys array") }
            try self.init(iss: iss, keys: keys, crls: crls, x5c: x5c)
        }

        public init(iss: String, keys keyValues: [JSONValue], crls: [JSONValue], x5c: X5CPolicy = .requireIssuerName) throws(CredentialError) {
            try SHCIssuerDirectory.checkIssuerURL(iss)
            guard keyValues.count <= SHCIssuerDirectory.maximumKeysPerIssuer else {
                throw CredentialError(.badTrustList, "\(iss): \(keyValues.count) keys (at most \(SHCIssuerDirectory.maximumKeysPerIssuer))")
            }
            var keys: [String: Key] = [:]
            for value in keyValues {
                let key = try SHCIssuerDirectory.key(value, iss: iss, x5c: x5c)
                guard keys[key.kid] == nil else { throw CredentialError(.badTrustList, "\(iss): key \(key.kid) is listed twice") }
                keys[key.kid] = key
            }
            var lists: [String: RevocationList] = [:]
            for value in crls {
                let list = try SHCIssuerDirectory.revocationList(value, iss: iss)
                guard lists[list.kid] == nil else { throw CredentialError(.badTrustList, "\(iss): two CRLs for key \(list.kid)") }
                guard let key = keys[list.kid], let version = key.crlVersion else {
                    throw CredentialError(.badTrustList, "\(iss): a CRL for key \(list.kid), which has no crlVersion")
                }
                guard version == list.version else {
                    throw CredentialError(.badTrustList, "\(iss): the CRL of key \(list.kid) is version \(list.version), the key says \(version)")
                }
                lists[list.kid] = list
            }
            for key in keys.values where key.crlVersion != nil && lists[key.kid] == nil {
                throw CredentialError(.badTrustList, "\(iss): key \(key.kid) has a crlVersion but no CRL was given")
            }
            self.iss = iss
            self.keys = keys
            self.revocationLists = lists
        }
    }

    public let issuers: [String: Issuer]

    public static let empty = SHCIssuerDirectory(checked: [:])
    public static let maximumKeysPerIssuer = 64
    public static let maximumIssuers = 10_000
    public static let maximumRidsPerList = 200_000
    /// Bounds for a bundle section or a directory snapshot (the VCI one is 0.7 MB).
    static let sectionLimits = JSONLimits(maxBytes: 32 << 20, maxDepth: 12, maxItems: 2_000_000, maxStringLength: 64 << 10)

    private init(checked issuers: [String: Issuer]) {
        self.issuers = issuers
    }

    public init(issuers: [Issuer]) throws(CredentialError) {
        guard issuers.count <= Self.maximumIssuers else {
            throw CredentialError(.badTrustList, "\(issuers.count) issuers (at most \(Self.maximumIssuers))")
        }
        var byISS: [String: Issuer] = [:]
        for issuer in issuers {
            guard byISS[issuer.iss] == nil else { throw CredentialError(.badTrustList, "issuer \(issuer.iss) is listed twice") }
            byISS[issuer.iss] = issuer
        }
        self.init(checked: byISS)
    }

    /// Number of keys, over all issuers.
    public var count: Int { issuers.values.reduce(0) { $0 + $1.keys.count } }

    /// `other`'s issuers added to these. An issuer in both keeps its keys and gains `other`'s; a key in both
    /// (same `kid`) is taken from `other`, with `other`'s CRL for it.
    public func merging(_ other: SHCIssuerDirectory) -> SHCIssuerDirectory {
        var merged = issuers
        for (iss, incoming) in other.issuers {
            guard let held = merged[iss] else {
                merged[iss] = incoming
                continue
            }
            var keys = held.keys
            var lists = held.revocationLists
            for (kid, key) in incoming.keys {
                keys[kid] = key
                lists[kid] = incoming.revocationLists[kid]
            }
            merged[iss] = Issuer(iss: iss, checkedKeys: keys, revocationLists: lists)
        }
        return SHCIssuerDirectory(checked: merged)
    }

    // MARK: - Bundle section

    /// Reads a section written by ``sectionBytes``, checking every issuer as an import does (but for the
    /// issuer name in `x5c`, which the import it was made from decided).
    public init(sectionBytes: [UInt8]) throws(CredentialError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(sectionBytes, limits: Self.sectionLimits)
        } catch {
            throw CredentialError(.badTrustList, "the SMART Health Card section is not JSON: \(error.code)")
        }
        guard let object = value.object, object.count == 2, object["version"]?.int64 == 1, let entries = object["issuers"]?.array else {
            throw CredentialError(.badTrustList, "the SMART Health Card section is not {issuers, version: 1}")
        }
        var issuers: [Issuer] = []
        for entry in entries {
            guard let member = entry.object, member.count == 3, let iss = member["iss"]?.string, let keys = member["keys"]?.array,
                let crls = member["crls"]?.array
            else { throw CredentialError(.badTrustList, "an issuer entry is not {iss, keys, crls}") }
            issuers.append(try Issuer(iss: iss, keys: keys, crls: crls, x5c: .keyAndChainOnly))
        }
        try self.init(issuers: issuers)
    }

    /// The canonical form for the signed trust bundle: issuers by `iss`, keys by `kid`, members sorted.
    public var sectionBytes: [UInt8] {
        let entries: [JSONValue] = issuers.keys.sorted().compactMap { iss in
            guard let issuer = issuers[iss] else { return nil }
            let keys = issuer.keys.keys.sorted().compactMap { issuer.keys[$0]?.json }
            let crls: [JSONValue] = issuer.revocationLists.keys.sorted().compactMap { kid in
                guard let list = issuer.revocationLists[kid] else { return nil }
                let rids: [JSONValue] = list.revokedBefore.map { rid, timestamp in .string(timestamp.map { "\(rid).\($0)" } ?? rid) }
                    .sorted { ($0.string ?? "") < ($1.string ?? "") }
                return .object([("ctr", .integer(list.version)), ("kid", .string(kid)), ("method", "rid"), ("rids", .array(rids))])
            }
            return .object([("crls", .array(crls)), ("iss", .string(iss)), ("keys", .array(keys))])
        }
        return JSONWriter.bytes(.object([("issuers", .array(entries)), ("version", 1)]), memberOrder: .sortedByUTF16)
    }
}

extension SHCIssuerDirectory.Issuer {
    fileprivate init(iss: String, checkedKeys: [String: SHCIssuerDirectory.Key], revocationLists: [String: SHCIssuerDirectory.RevocationList]) {
        self.iss = iss
        self.keys = checkedKeys
        self.revocationLists = revocationLists
    }
}

// MARK: - Import checks

extension SHCIssuerDirectory {
    /// `https://host[/path]`, no trailing slash, query, fragment, user info, whitespace or control characters.
    static func checkIssuerURL(_ iss: String) throws(CredentialError) {
        let bytes = Array(iss.utf8)
        guard bytes.count <= 512 else { throw CredentialError(.badTrustList, "an issuer URL longer than 512 bytes") }
        guard iss.hasPrefix("https://") else { throw CredentialError(.badTrustList, "issuer \(iss) is not an https URL") }
        guard !iss.hasSuffix("/") else { throw CredentialError(.badTrustList, "issuer \(iss) ends with a slash") }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), !iss.contains("?"), !iss.contains("#"), !iss.contains("@") else {
            throw CredentialError(.badTrustList, "issuer \(iss) is not a plain https URL")
        }
        let host = iss.dropFirst("https://".count).prefix { $0 != "/" }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }),
            !host.hasPrefix("."), !host.hasSuffix(".")
        else { throw CredentialError(.badTrustList, "issuer \(iss) has no valid host") }
    }

    static func key(_ value: JSONValue, iss: String, x5c: X5CPolicy) throws(CredentialError) -> Key {
        guard var object = value.object else { throw CredentialError(.badTrustList, "\(iss): a key is not a JSON object") }
        // One real issuer writes crlVersion as a string of digits; read it as the number it means.
        if let text = object["crlVersion"]?.string {
            guard let number = wholeNumber(text) else { throw CredentialError(.badTrustList, "\(iss): crlVersion is not a whole number") }
            object["crlVersion"] = .integer(number)
        }
        // Some issuers (Epic installations among them) drop a coordinate's leading zero byte, against RFC 7518
        // §6.2.1.2; the key is the same, so the coordinate is padded back. The thumbprint stays the one of the
        // coordinates as published, which is what their kid is.
        let published = (x: object["x"]?.string, y: object["y"]?.string)
        for name in ["x", "y"] {
            guard let text = object[name]?.string, let bytes = try? Base64URL.decode(text), (16..<32).contains(bytes.count) else { continue }
            object[name] = .string(Base64URL.encode([UInt8](repeating: 0, count: 32 - bytes.count) + bytes))
        }
        let jwk: JSONWebKey
        do {
            jwk = try JSONWebKey(.object(object))
        } catch {
            throw CredentialError(.badTrustList, "\(iss): key \(object["kid"]?.string ?? "without kid"): \(error.detail)")
        }
        let kid = jwk.keyID ?? ""
        let thumbprint = published.x.flatMap { x in
            published.y.map { y in Base64URL.encode(Digest.sha256(Array(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#.utf8))) }
        }
        guard jwk.keyType == "EC", jwk.curve == .p256 else { throw CredentialError(.badTrustList, "\(iss): key \(kid) is not an EC P-256 key") }
        guard jwk.algorithm == "ES256" else { throw CredentialError(.badTrustList, "\(iss): key \(kid)'s alg is not ES256") }
        guard jwk.use == "sig" else { throw CredentialError(.badTrustList, "\(iss): key \(kid)'s use is not sig") }
        guard jwk.keyID == thumbprint else {
            throw CredentialError(.badTrustList, "\(iss): key \(kid) is not named by its RFC 7638 thumbprint")
        }
        if !jwk.certificateChain.isEmpty { try checkChain(jwk, iss: iss, policy: x5c) }
        var members: [(String, JSONValue)] = [
            ("alg", "ES256"), ("crv", "P-256"), ("kid", .string(kid)), ("kty", "EC"), ("use", "sig"),
        ]
        if let x = published.x, let y = published.y { members += [("x", .string(x)), ("y", .string(y))] }
        if let chain = object["x5c"] { members.append(("x5c", chain)) }
        if let version = jwk.crlVersion { members.append(("crlVersion", .integer(version))) }
        return Key(kid: kid, publicKey: jwk.publicKey, json: .object(members), crlVersion: jwk.crlVersion)
    }

    private static func checkChain(_ jwk: JSONWebKey, iss: String, policy: X5CPolicy) throws(CredentialError) {
        let kid = jwk.keyID ?? ""
        var chain: [Certificate] = []
        for der in jwk.certificateChain {
            do {
                chain.append(try Certificate(derEncoded: der))
            } catch {
                throw CredentialError(.badTrustList, "\(iss): key \(kid)'s x5c holds a certificate that does not parse")
            }
        }
        guard let leaf = chain.first, leaf.publicKey.subjectPublicKeyInfoDER == jwk.publicKey.subjectPublicKeyInfoDER else {
            throw CredentialError(.badTrustList, "\(iss): key \(kid)'s x5c leaf holds another key")
        }
        for (certificate, issuer) in zip(chain, chain.dropFirst()) where !certificate.isSigned(by: issuer) {
            throw CredentialError(.badTrustList, "\(iss): key \(kid)'s x5c chain is broken")
        }
        guard policy == .requireIssuerName else { return }
        let names: [String]
        do {
            names = try leaf.uniformResourceIdentifierNames()
        } catch {
            throw CredentialError(.badTrustList, "\(iss): key \(kid)'s x5c leaf has an unreadable subject alternative name")
        }
        guard names.contains(iss) else { throw CredentialError(.badTrustList, "\(iss): key \(kid)'s x5c leaf does not name the issuer as a URI") }
    }

    static func revocationList(_ value: JSONValue, iss: String) throws(CredentialError) -> RevocationList {
        guard let object = value.object, let kid = object["kid"]?.string else { throw CredentialError(.badTrustList, "\(iss): a CRL without kid") }
        guard object["method"]?.string == "rid" else {
            throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has a method other than rid")
        }
        let version: Int64
        if let number = object["ctr"]?.int64, number >= 0 {
            version = number
        } else if let text = object["ctr"]?.string, let number = wholeNumber(text) {
            version = number
        } else {
            throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has no whole-number ctr")
        }
        guard let rids = object["rids"]?.array, rids.count <= maximumRidsPerList else {
            throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has no rids array of at most \(maximumRidsPerList)")
        }
        var revoked: [String: Int64?] = [:]
        for entry in rids {
            guard let text = entry.string else {
                throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has a rid that is not a string")
            }
            let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let rid = String(parts[0])
            guard isRevocationID(rid) else {
                throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has a rid that is not base64url of at most 24 characters")
            }
            var timestamp: Int64?
            if parts.count == 2 {
                guard let number = wholeNumber(parts[1]) else {
                    throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) has a bad rid timestamp")
                }
                timestamp = number
            }
            guard revoked[rid] == nil else { throw CredentialError(.badTrustList, "\(iss): the CRL of key \(kid) lists rid \(rid) twice") }
            revoked[rid] = .some(timestamp)
        }
        return RevocationList(kid: kid, version: version, revokedBefore: revoked)
    }

    /// A rid: 1 to 24 characters of the base64url alphabet (a truncated hash; unused bits are not judged).
    static func isRevocationID(_ rid: some StringProtocol) -> Bool {
        (1...24).contains(rid.utf8.count)
            && rid.utf8.allSatisfy {
                (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }

    private static func wholeNumber(_ text: some StringProtocol) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}

extension SHCIssuerDirectory: FrameworkTrust {}
