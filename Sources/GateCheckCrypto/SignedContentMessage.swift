import COpenSSL

/// CMS SignedData that carries its content (not detached), signed by one signer whose certificate is embedded:
/// ICAO master lists, and the rules the EU DCC gateway hands out (each uploaded as such a message).
///
/// The signature is checked with the embedded signer certificate; who that signer is, and whether to believe it,
/// is the caller's decision: it is returned, not trusted here.
public enum SignedContentMessage {
    /// `id-data`, the content type of plain signed bytes (the gateway's signed rules).
    public static let dataContentTypeOID = "1.2.840.113549.1.7.1"

    /// The content of a signed message of `contentType`, after its CMS signature verified with the embedded signer.
    /// `what` names the message in errors.
    ///
    /// - Throws: `.inputTooLarge` above `maxSize`, `.malformedCMS` for anything but a SignedData of `contentType`
    ///   with embedded content and exactly one signer whose certificate is embedded, `.trailingData` for bytes
    ///   after it, `.signatureInvalid` when the signature does not verify.
    public static func verifiedContent(
        of der: [UInt8], contentType: String, maxSize: Int, what: String
    ) throws(CryptoError) -> (content: [UInt8], signer: Certificate) {
        guard der.count <= maxSize else {
            throw CryptoError(.inputTooLarge, reason: "\(what) of \(der.count) bytes exceeds \(maxSize)")
        }
        guard !der.isEmpty else { throw CryptoError(.malformedCMS, reason: "empty \(what)") }
        let parsed: (object: OpaquePointer?, consumed: Int) = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let object = d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
            return (object, cursor.map { $0 - buffer.baseAddress! } ?? 0)
        }
        guard let contentInfo = parsed.object else { throw OpenSSLSupport.error(.malformedCMS, "\(what) does not parse as CMS") }
        defer { CMS_ContentInfo_free(contentInfo) }
        guard parsed.consumed == der.count else {
            ERR_clear_error()
            throw CryptoError(.trailingData, reason: "\(der.count - parsed.consumed) bytes after the \(what)")
        }
        guard OBJ_obj2nid(CMS_get0_type(contentInfo)) == NID_pkcs7_signed,
            let type = CMS_get0_eContentType(contentInfo), OIDText.dotted(type) == contentType
        else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "not a SignedData of content type \(contentType)")
        }
        guard CMS_is_detached(contentInfo) == 0 else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "\(what) content is detached")
        }
        guard let infos = CMS_get0_SignerInfos(contentInfo), gatecheck_sk_CMS_SignerInfo_num(infos) == 1 else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "\(what) must have exactly one signer")
        }
        guard let output = BIO_new(BIO_s_mem()) else { throw OpenSSLSupport.error(.internalFailure, "BIO_new failed") }
        defer { BIO_free(output) }
        // The signer certificate must be embedded (certs = nil); its path is the caller's business.
        let flags = UInt32(CMS_BINARY | CMS_NOCRL | CMS_NO_SIGNER_CERT_VERIFY)
        guard CMS_verify(contentInfo, nil, nil, nil, output, flags) == 1 else {
            let noSigner = ERR_GET_REASON(ERR_peek_last_error()) == CMS_R_SIGNER_CERTIFICATE_NOT_FOUND
            throw OpenSSLSupport.error(
                noSigner ? .malformedCMS : .signatureInvalid,
                noSigner ? "the \(what) signer's certificate is not embedded" : "\(what) signature does not verify")
        }
        guard let signers = CMS_get0_signers(contentInfo) else {
            throw OpenSSLSupport.error(.internalFailure, "CMS_get0_signers failed after verification")
        }
        let signerStack = CertificateStack(borrowingElementsOf: signers)
        guard signerStack.count == 1 else { throw CryptoError(.malformedCMS, reason: "\(what) must have exactly one signer") }
        let signer = try SignedDataMessage.certificate(from: signerStack[0])
        var data: UnsafePointer<CChar>?
        let length = gatecheck_BIO_get_mem_data(output, &data)
        guard length >= 0, let data else { throw OpenSSLSupport.error(.internalFailure, "no \(what) content") }
        let content = data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        return (content, signer)
    }

    /// A signed message over `content` (for tests and test issuers): CMS SignedData with eContentType
    /// `contentType`, content embedded, SHA-256, the signer's certificate embedded.
    /// - Throws: `.signingFailed` when OpenSSL refuses the key, the certificate or the content type.
    public static func sign(
        content: [UInt8], key: PrivateKey, certificate: Certificate, contentType: String
    ) throws(CryptoError) -> [UInt8] {
        let flags = UInt32(CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL)
        guard let contentInfo = CMS_sign(nil, nil, nil, nil, flags) else { throw OpenSSLSupport.error(.signingFailed, "CMS_sign failed") }
        defer { CMS_ContentInfo_free(contentInfo) }
        guard let type = OBJ_txt2obj(contentType, 1) else { throw OpenSSLSupport.error(.signingFailed, "invalid OID \(contentType)") }
        // CMS_set1_eContentType copies the object.
        defer { ASN1_OBJECT_free(type) }
        guard CMS_set1_eContentType(contentInfo, type) == 1,
            CMS_add1_signer(contentInfo, certificate.x509, key.pkey, EVP_sha256(), UInt32(CMS_BINARY | CMS_NOSMIMECAP)) != nil
        else { throw OpenSSLSupport.error(.signingFailed, "cannot set up the signer") }
        guard let length = Int32(exactly: content.count) else { throw CryptoError(.inputTooLarge, reason: "content of \(content.count) bytes") }
        let storage = content.isEmpty ? [0] : content
        let finalized = storage.withUnsafeBufferPointer { buffer -> Bool in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, length) else { return false }
            defer { BIO_free(bio) }
            return CMS_final(contentInfo, bio, nil, UInt32(CMS_BINARY)) == 1
        }
        guard finalized, let der = OpenSSLSupport.encodeDER({ i2d_CMS_ContentInfo(contentInfo, $0) }) else {
            throw OpenSSLSupport.error(.signingFailed, "cannot finish the signed message")
        }
        return der
    }
}
