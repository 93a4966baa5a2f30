import Foundation
import GateCheckCrypto
import HealthCredentials

/// The EU DCC gateway's `trustList` JSON: an array of `{kid, country, certificateType, thumbprint,
/// rawData, signature, timestamp}`. Only `DSC` entries are signers. Each entry's thumbprint must be
/// the SHA-256 of its certificate. The per-entry CMS `signature` (by the uploading country) needs
/// the gateway's own anchors, which the back office checks when it downloads the list.
public enum GatewayTrustList {
    public static let maximumSize = 64 * 1024 * 1024

    private struct Entry: Decodable {
        let kid: String
        let country: String?
        let certificateType: String
        let thumbprint: String?
        let rawData: String
    }

    public static func signers(from bytes: [UInt8]) throws(CredentialError) -> [DocumentSigner] {
        guard bytes.count <= maximumSize else {
            throw CredentialError(.badTrustList, "gateway trust list of \(bytes.count) bytes exceeds \(maximumSize)")
        }
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(bytes))
        } catch {
            throw CredentialError(.badTrustList, "not a gateway trustList JSON array")
        }
        var signers: [DocumentSigner] = []
        for (index, entry) in entries.enumerated() where entry.certificateType.uppercased() == "DSC" {
            let signer = try DocumentSigner(base64Kid: entry.kid, base64Certificate: entry.rawData, country: entry.country, entry: index)
            if let thumbprint = entry.thumbprint {
                let actual = signer.certificate.sha256Fingerprint.map { String(format: "%02x", $0) }.joined()
                guard actual == thumbprint.lowercased() else {
                    throw CredentialError(.badTrustList, "entry \(index): thumbprint does not match the certificate")
                }
            }
            signers.append(signer)
        }
        return signers
    }
}
