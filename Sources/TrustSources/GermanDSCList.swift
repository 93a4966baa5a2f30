import AdmissionRules
import FoundationEssentials
import HealthCredentials
import GateCheckCrypto
import JSON

/// The German signed DSC list format (CovPass / ubirch): the first line is the base64 of a raw
/// P-256 ECDSA signature (r‖s) over the rest of the file, which starts at the first `{` and is
/// `{"certificates":[{"kid", "country", "rawData", …}]}`.
public enum GermanDSCList {
    /// The real lists are about 2 MB; the cap leaves room without inviting memory exhaustion.
    public static let maximumSize = 32 * 1024 * 1024

    /// How the list's own signature is handled.
    public enum SignatureCheck: Sendable {
        /// Verify against this key; a list that fails is refused whole.
        case verify(PublicKey)
        /// Load without checking. Only for explicit user choice (`--allow-unverified-trust-list`).
        case skipExplicitlyUnverified
    }

    /// Whether `bytes` look like this format: a base64 line followed by a JSON object.
    public static func looksLikeList(_ bytes: [UInt8]) -> Bool {
        guard let brace = bytes.firstIndex(of: UInt8(ascii: "{")), brace > 0 else { return false }
        return bytes[..<brace].allSatisfy { isBase64Character($0) || $0 == 0x0A || $0 == 0x0D }
    }

    public static func signers(from bytes: [UInt8], check: SignatureCheck) throws(CredentialError) -> [DocumentSigner] {
        guard bytes.count <= maximumSize else {
            throw CredentialError(.badTrustList, "list of \(bytes.count) bytes exceeds \(maximumSize)")
        }
        guard let brace = bytes.firstIndex(of: UInt8(ascii: "{")) else {
            throw CredentialError(.badTrustList, "no JSON body")
        }
        let signatureText = String(decoding: bytes[..<brace], as: UTF8.self).trimmingWhitespace()
        let body = Array(bytes[brace...])

        // Signature first, parsing second: nothing from an unauthenticated list is interpreted.
        switch check {
        case .verify(let key):
            guard let signature = Data(base64Encoded: signatureText).map(Array.init) else {
                throw CredentialError(.badTrustList, "first line is not base64")
            }
            guard key.verify(signature: signature, for: body, algorithm: .es256) == .valid else {
                throw CredentialError(.trustListSignatureInvalid, "list signature does not verify with the given key")
            }
        case .skipExplicitlyUnverified:
            break
        }

        guard let document = try? JSONParser.parse(body, limits: jsonLimits),
              let certificates = try? JSONValueDecoder().decode(Document.self, from: document).certificates
        else { throw CredentialError(.badTrustList, "JSON body does not parse") }
        var signers: [DocumentSigner] = []
        for (index, entry) in certificates.enumerated() {
            signers.append(try DocumentSigner(base64Kid: entry.kid, base64Certificate: entry.rawData, country: entry.country, entry: index))
        }
        return signers
    }

    /// `kid` and `rawData` strings; `country` a string, null or absent; other members ignored.
    private struct Document: Decodable {
        struct Certificate: Decodable {
            let kid: String
            let country: String?
            let rawData: String
        }

        let certificates: [Certificate]
    }

    /// Bounds for the JSON body: the size cap above, the list's own shallow shape (with room for members
    /// a new list version may add), and strings that fit any certificate or signature with room to spare.
    static let jsonLimits = JSONLimits(maxBytes: maximumSize, maxDepth: 16, maxItems: 2_000_000, maxStringLength: 256 << 10)

    private static func isBase64Character(_ byte: UInt8) -> Bool {
        (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }
}
