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
            guard let der = Data(base64Encoded: entry.rawData), let kid = Data(base64Encoded: entry.kid) else {
                throw CredentialError(.badTrustList, "entry \(index): kid or rawData is not base64")
            }
            if let thumbprint = entry.thumbprint {
                let actual = Digest.sha256(Array(der)).map { String(format: "%02x", $0) }.joined()
                guard actual == thumbprint.lowercased() else {
                    throw CredentialError(.badTrustList, "entry \(index): thumbprint does not match the certificate")
                }
            }
            let certificate: Certificate
            do {
                certificate = try Certificate(derEncoded: Array(der))
            } catch {
                throw CredentialError(.badTrustList, "entry \(index): certificate does not parse (\(error))")
            }
            signers.append(DocumentSigner(certificate: certificate, kid: Array(kid), country: entry.country))
        }
        return signers
    }
}
