import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// The EU DCC gateway's `trustList` JSON: an array of `{kid, country, certificateType, thumbprint,
/// rawData, signature, timestamp}`. Only `DSC` entries are signers. Each entry's thumbprint must be
/// the SHA-256 of its certificate. The per-entry CMS `signature` (by the uploading country) needs
/// the gateway's own anchors, which the back office checks when it downloads the list. `UPLOAD` entries
/// are the keys countries sign their business rules with (``GatewayRuleDownload``).
public enum GatewayTrustList {
    public static let maximumSize = 64 * 1024 * 1024

    /// Bounds for the list: the size cap above, its shallow shape (with room for members a new gateway
    /// version may add), and strings that fit any certificate or CMS signature with room to spare.
    static let jsonLimits = JSONLimits(maxBytes: maximumSize, maxDepth: 16, maxItems: 4_000_000, maxStringLength: 256 << 10)

    /// `kid`, `certificateType` and `rawData` strings; `country` and `thumbprint` strings, null or
    /// absent; other members ignored.
    private struct Entry: Decodable {
        let kid: String
        let country: String?
        let certificateType: String
        let thumbprint: String?
        let rawData: String
    }

    /// Recognised by content: a JSON array whose first element has `certificateType` and `rawData`, or an empty array.
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= maximumSize, let list = (try? JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits))?.array
        else { return false }
        // An empty list is the gateway's answer when nothing is published.
        guard let first = list.first else { return true }
        return first["certificateType"]?.string != nil && first["rawData"]?.string != nil
    }

    public static func signers(from bytes: [UInt8]) throws(CredentialError) -> [DocumentSigner] {
        var signers: [DocumentSigner] = []
        for (index, entry) in try entries(bytes).enumerated() where entry.certificateType.uppercased() == "DSC" {
            signers.append(try checkedSigner(entry, index: index))
        }
        return signers
    }

    /// The `UPLOAD` certificates by country: the keys a country signs what it uploads with (its business rules).
    public static func uploadCertificates(from bytes: [UInt8]) throws(CredentialError) -> [(country: String, certificate: Certificate)] {
        var certificates: [(country: String, certificate: Certificate)] = []
        for (index, entry) in try entries(bytes).enumerated() where entry.certificateType.uppercased() == "UPLOAD" {
            let signer = try checkedSigner(entry, index: index)
            guard let country = entry.country ?? signer.certificate.subjectCountry else { continue }
            certificates.append((country.uppercased(), signer.certificate))
        }
        return certificates
    }

    private static func entries(_ bytes: [UInt8]) throws(CredentialError) -> [Entry] {
        guard bytes.count <= maximumSize else {
            throw CredentialError(.badTrustList, "gateway trust list of \(bytes.count) bytes exceeds \(maximumSize)")
        }
        guard let list = try? JSONParser.parse(skippingByteOrderMark: bytes, limits: jsonLimits),
              let entries = try? JSONValueDecoder().decode([Entry].self, from: list)
        else { throw CredentialError(.badTrustList, "not a gateway trustList JSON array") }
        return entries
    }

    /// The entry's certificate under its kid and country, its thumbprint (when given) checked.
    private static func checkedSigner(_ entry: Entry, index: Int) throws(CredentialError) -> DocumentSigner {
        let signer = try DocumentSigner(base64Kid: entry.kid, base64Certificate: entry.rawData, country: entry.country, entry: index)
        if let thumbprint = entry.thumbprint {
            let actual = signer.certificate.sha256Fingerprint.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
            guard actual == thumbprint.lowercased() else {
                throw CredentialError(.badTrustList, "entry \(index): thumbprint does not match the certificate")
            }
        }
        return signer
    }
}
