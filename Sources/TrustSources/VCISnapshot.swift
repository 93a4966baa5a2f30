import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON
import SmartHealthCards

/// The VCI directory's daily snapshot (`vci_snapshot.json` of `the-commons-project/vci-directory`): every
/// participating SMART Health Card issuer with its JWKS and CRLs, and a detached signature (`.sig`, ECDSA
/// P-521/SHA-512, DER) by the directory's certificate (`vci_snapshot.crt`, CN=vci.org).
///
/// The signature is checked against the certificate, and the certificate's validity at the given time, before
/// a byte of the JSON is parsed. Then every issuer is imported as ``SHCIssuerDirectory`` imports them, with the
/// directory vouching for the issuer names of `x5c` leaves (``SHCIssuerDirectory/X5CPolicy/keyAndChainOnly``);
/// one bad issuer or key refuses the whole snapshot (fail closed: a signed snapshot with a bad entry is not what
/// VCI publishes).
public enum VCISnapshot {
    /// The snapshot is 0.7 MB in 2026.
    public static let maximumSize = 32 << 20

    /// Whether `bytes` look like a snapshot: a JSON object naming `issuerInfo` near its start, after `directory`
    /// and `time`.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") else { return false }
        let head = Array(bytes.prefix(4_096))
        let marker = Array(#""issuerInfo""#.utf8)
        return head.count >= marker.count && (0...(head.count - marker.count)).contains { head[$0..<($0 + marker.count)].elementsEqual(marker) }
    }

    /// Reads a snapshot from files (the certificate PEM or DER).
    public static func read(snapshotPath: String, signaturePath: String, certificatePath: String, at time: Date) throws(TrustSourceError)
        -> SHCIssuerDirectory
    {
        try read(
            snapshot: TrustLoader.readFile(snapshotPath, limit: maximumSize), signature: TrustLoader.readFile(signaturePath, limit: 1_024),
            certificate: TrustLoader.readFile(certificatePath, limit: 64 * 1_024), at: time, path: snapshotPath)
    }

    /// Checks `signature` over `snapshot` with `certificate` (valid at `time`), then reads the issuers.
    public static func read(snapshot: [UInt8], signature: [UInt8], certificate: [UInt8], at time: Date, path: String = "VCI snapshot")
        throws(TrustSourceError) -> SHCIssuerDirectory
    {
        guard snapshot.count <= maximumSize else { throw TrustSourceError(.tooLarge, path: path, "\(snapshot.count) bytes") }
        let signer = try signerCertificate(certificate, path: path)
        guard signer.notBefore <= time, time <= signer.notAfter else {
            throw TrustSourceError(.listRefused, path: path, "the snapshot certificate is not valid at \(time)")
        }
        guard signer.publicKey.verify(signature: signature, for: snapshot, algorithm: .ecdsa(hash: .sha512, encoding: .der)) == .valid else {
            throw TrustSourceError(.listRefused, path: path, "the snapshot's signature does not verify with its certificate")
        }
        do {
            return try directory(fromVerifiedSnapshot: snapshot)
        } catch {
            throw TrustSourceError(.listRefused, path: path, error.detail)
        }
    }

    /// Parses an already verified snapshot: `{directory, time, issuerInfo: [{issuer: {iss, …}, keys: [...], crls?: [...]}]}`.
    static func directory(fromVerifiedSnapshot snapshot: [UInt8]) throws(CredentialError) -> SHCIssuerDirectory {
        let value: JSONValue
        do {
            value = try JSONParser.parse(
                snapshot, limits: JSONLimits(maxBytes: maximumSize, maxDepth: 12, maxItems: 2_000_000, maxStringLength: 64 << 10))
        } catch {
            throw CredentialError(.badTrustList, "the snapshot is not JSON: \(error.code)")
        }
        guard let entries = value["issuerInfo"]?.array else { throw CredentialError(.badTrustList, "the snapshot has no issuerInfo array") }
        var issuers: [SHCIssuerDirectory.Issuer] = []
        for entry in entries {
            guard let iss = entry["issuer"]?["iss"]?.string, let keys = entry["keys"]?.array else {
                throw CredentialError(.badTrustList, "an issuerInfo entry lacks issuer.iss or keys")
            }
            let crls = entry["crls"]?.array ?? []
            issuers.append(try SHCIssuerDirectory.Issuer(iss: iss, keys: keys, crls: crls, x5c: .keyAndChainOnly))
        }
        return try SHCIssuerDirectory(issuers: issuers)
    }

    private static func signerCertificate(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> Certificate {
        let der = PEM.derBlocks(in: String(decoding: bytes, as: UTF8.self), label: "CERTIFICATE").first ?? bytes
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw TrustSourceError(.badCertificate, path: path, "the snapshot certificate does not parse (\(error.code))")
        }
    }

    // MARK: - One issuer's .well-known folder

    /// One issuer's published keys, from a folder holding `jwks.json` and `crl/<kid>.json` (a copy of
    /// `<iss>/.well-known/`): for issuers outside the directory, and for tests. No signature: the folder is trusted
    /// as the one who installs it says.
    public static func readWellKnownFolder(_ folder: String, iss: String) throws(TrustSourceError) -> SHCIssuerDirectory.Issuer {
        let jwksPath = folder + (folder.hasSuffix("/") ? "" : "/") + "jwks.json"
        let jwks = try parse(TrustLoader.readFile(jwksPath, limit: 1 << 20), path: jwksPath)
        var crls: [JSONValue] = []
        let crlFolder = folder + (folder.hasSuffix("/") ? "" : "/") + "crl"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: crlFolder) {
            for name in names.sorted() where name.hasSuffix(".json") {
                let path = crlFolder + "/" + name
                crls.append(try parse(TrustLoader.readFile(path, limit: 8 << 20), path: path))
            }
        }
        do {
            return try SHCIssuerDirectory.Issuer(iss: iss, jwks: jwks, crls: crls)
        } catch {
            throw TrustSourceError(.badKey, path: folder, error.detail)
        }
    }

    private static func parse(_ bytes: [UInt8], path: String) throws(TrustSourceError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes, limits: JSONLimits(maxBytes: 8 << 20, maxDepth: 12, maxItems: 500_000, maxStringLength: 64 << 10))
        } catch {
            throw TrustSourceError(.unrecognisedFormat, path: path, "not JSON (\(error.code))")
        }
    }
}
