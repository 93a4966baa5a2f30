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
        guard der.count <= maxEncodedSize else {
            throw CryptoError(.inputTooLarge, reason: "master list of \(der.count) bytes exceeds \(maxEncodedSize)")
        }
        guard !der.isEmpty else { throw CryptoError(.malformedCMS, reason: "empty master list") }
        let parsed: (object: OpaquePointer?, consumed: Int) = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let object = d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
            return (object, cursor.map { $0 - buffer.baseAddress! } ?? 0)
        }
        guard let contentInfo = parsed.object else { throw OpenSSLSupport.error(.malformedCMS, "master list does not parse as CMS") }
        defer { CMS_ContentInfo_free(contentInfo) }
        guard parsed.consumed == der.count else {
            ERR_clear_error()
            throw CryptoError(.trailingData, reason: "\(der.count - parsed.consumed) bytes after the master list")
        }
        guard OBJ_obj2nid(CMS_get0_type(contentInfo)) == NID_pkcs7_signed,
            let contentType = CMS_get0_eContentType(contentInfo), OIDText.dotted(contentType) == contentTypeOID
        else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "not a SignedData of content type \(contentTypeOID)")
        }
        guard CMS_is_detached(contentInfo) == 0 else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "master list content is detached")
        }
        guard let infos = CMS_get0_SignerInfos(contentInfo), gatecheck_sk_CMS_SignerInfo_num(infos) == 1 else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "master list must have exactly one signer")
        }
        guard let output = BIO_new(BIO_s_mem()) else { throw OpenSSLSupport.error(.internalFailure, "BIO_new failed") }
        defer { BIO_free(output) }
        // The signer certificate must be embedded (certs = nil); its path is the caller's business.
        let flags = UInt32(CMS_BINARY | CMS_NOCRL | CMS_NO_SIGNER_CERT_VERIFY)
        guard CMS_verify(contentInfo, nil, nil, nil, output, flags) == 1 else {
            let noSigner = ERR_GET_REASON(ERR_peek_last_error()) == CMS_R_SIGNER_CERTIFICATE_NOT_FOUND
            throw OpenSSLSupport.error(
                noSigner ? .malformedCMS : .signatureInvalid,
                noSigner ? "the master list signer's certificate is not embedded" : "master list signature does not verify")
        }
        guard let signers = CMS_get0_signers(contentInfo) else {
            throw OpenSSLSupport.error(.internalFailure, "CMS_get0_signers failed after verification")
        }
        let signerStack = CertificateStack(borrowingElementsOf: signers)
        guard signerStack.count == 1 else { throw CryptoError(.malformedCMS, reason: "master list must have exactly one signer") }
        let signer = try SignedDataMessage.certificate(from: signerStack[0])
        var data: UnsafePointer<CChar>?
        let length = gatecheck_BIO_get_mem_data(output, &data)
        guard length >= 0, let data else { throw OpenSSLSupport.error(.internalFailure, "no master list content") }
        let content = data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        return (content, signer)
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
        let flags = UInt32(CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL)
        guard let contentInfo = CMS_sign(nil, nil, nil, nil, flags) else { throw OpenSSLSupport.error(.signingFailed, "CMS_sign failed") }
        defer { CMS_ContentInfo_free(contentInfo) }
        guard let type = OBJ_txt2obj(contentType, 1) else { throw OpenSSLSupport.error(.signingFailed, "invalid OID \(contentType)") }
        // CMS_set1_eContentType copies the object.
        defer { ASN1_OBJECT_free(type) }
        guard CMS_set1_eContentType(contentInfo, type) == 1,
            CMS_add1_signer(contentInfo, certificate.x509, key.pkey, EVP_sha256(), UInt32(CMS_BINARY | CMS_NOSMIMECAP)) != nil
        else { throw OpenSSLSupport.error(.signingFailed, "cannot set up the master list signer") }
        guard let length = Int32(exactly: content.count) else { throw CryptoError(.inputTooLarge, reason: "content of \(content.count) bytes") }
        let storage = content.isEmpty ? [0] : content
        let finalized = storage.withUnsafeBufferPointer { buffer -> Bool in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, length) else { return false }
            defer { BIO_free(bio) }
            return CMS_final(contentInfo, bio, nil, UInt32(CMS_BINARY)) == 1
        }
        guard finalized, let der = OpenSSLSupport.encodeDER({ i2d_CMS_ContentInfo(contentInfo, $0) }) else {
            throw OpenSSLSupport.error(.signingFailed, "cannot finish the master list")
        }
        return der
    }
}
