import COpenSSL

/// ICAO CSCA master lists (Doc 9303-12): a CMS SignedData with eContentType `id-icao-cscaMasterList`
/// (2.23.136.1.1.2) whose content is `CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }`.
///
/// The signature is checked with the signer certificate embedded in the message (the Master List Signer); who
/// that signer is, and whether to believe it, is the caller's decision: it is reported, not trusted here.
public enum CSCAMasterListMessage {
    /// `id-icao-cscaMasterList`.
    public static let contentTypeOID = "2.23.136.1.1.2"
    /// Real master lists are 0.5–2 MB (the German one of 2025, 571 CSCAs, is about 1 MB).
    public static let maxEncodedSize = 16 << 20
    /// Most certificates accepted in one list; the largest national lists hold under 1,000.
    public static let maxCertificates = 10_000

    /// The content of a signed master list, after its CMS signature verified with the embedded signer.
    ///
    /// - Throws: `.inputTooLarge` above ``maxEncodedSize``, `.malformedCMS` for anything but a SignedData of
    ///   content type 2.23.136.1.1.2 with embedded content and exactly one signer whose certificate is embedded,
    ///   `.trailingData` for bytes after it, `.signatureInvalid` when the signature does not verify.
    public static func verifiedContent(of der: [UInt8]) throws(CryptoError) -> (content: [UInt8], signer: Certificate) {
        try SignedContentMessage.verifiedContent(of: der, contentType: contentTypeOID, maxSize: maxEncodedSize, what: "master list")
    }

    /// The DER certificates of a `CscaMasterList` content, in list order (not parsed: a caller that loads
    /// them reports each that fails).
    ///
    /// - Throws: `.malformedCMS` when the bytes are not exactly `SEQUENCE { INTEGER, SET OF SEQUENCE }`,
    ///   `.inputTooLarge` above ``maxEncodedSize`` or ``maxCertificates``.
    public static func certificateEncodings(inContent content: [UInt8]) throws(CryptoError) -> [[UInt8]] {
        guard content.count <= maxEncodedSize else {
            throw CryptoError(.inputTooLarge, reason: "master list content of \(content.count) bytes exceeds \(maxEncodedSize)")
        }
        var outer = DERReader(content[...])
        guard let list = outer.next(), list.tag == DERReader.sequence, outer.isAtEnd else {
            throw CryptoError(.malformedCMS, reason: "master list content is not one SEQUENCE")
        }
        var fields = DERReader(list.content)
        guard let version = fields.next(), version.tag == DERReader.integer, let set = fields.next(), set.tag == DERReader.set,
            fields.isAtEnd
        else {
            throw CryptoError(.malformedCMS, reason: "master list content is not SEQUENCE { version, SET OF Certificate }")
        }
        var certificates = DERReader(set.content)
        var encodings: [[UInt8]] = []
        while !certificates.isAtEnd {
            guard let element = certificates.next(), element.tag == DERReader.sequence else {
                throw CryptoError(.malformedCMS, reason: "master list entry \(encodings.count) is not a certificate")
            }
            guard encodings.count < maxCertificates else {
                throw CryptoError(.inputTooLarge, reason: "master list holds more than \(maxCertificates) certificates")
            }
            encodings.append(Array(element.encoding))
        }
        return encodings
    }

    /// A signed master list over `content` (for tests and test issuers): CMS SignedData with eContentType
    /// `contentType` (2.23.136.1.1.2 unless told otherwise), content embedded, SHA-256, the signer's certificate
    /// embedded as real lists do.
    /// - Throws: `.signingFailed` when OpenSSL refuses the key, the certificate or the content type.
    public static func sign(
        content: [UInt8], key: PrivateKey, certificate: Certificate, contentType: String = contentTypeOID
    ) throws(CryptoError) -> [UInt8] {
        try SignedContentMessage.sign(content: content, key: key, certificate: certificate, contentType: contentType)
    }
}
