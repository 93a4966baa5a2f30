import COpenSSL

/// A parsed CMS `ContentInfo` that is a SignedData, owning its `CMS_ContentInfo`.
///
/// Parsing checks only the outer shape (size cap, DER without trailing bytes, content type SignedData);
/// the stricter shape GateCheck signs (detached, exactly one signer) is asked for separately, so
/// ``CMSSignature/embeddedCertificates(_:)`` can show what any SignedData carries.
final class SignedDataMessage {
    /// Largest accepted encoding; a manifest signature with a three-certificate chain is about 3 KiB.
    static let maxEncodedSize = OpenSSLSupport.maxDERInputSize
    /// Most certificates accepted in the `certificates` field; bounds path building on hostile input.
    static let maxCertificates = 16

    /// Owned `CMS_ContentInfo`.
    let contentInfo: OpaquePointer

    /// - Throws: `.inputTooLarge` above ``maxEncodedSize`` (checked first), `.malformedCMS` when the bytes are not
    ///   a SignedData ContentInfo, `.trailingData` when bytes follow it.
    init(derEncoded der: [UInt8]) throws(CryptoError) {
        let contentInfo = try OpenSSLSupport.decodeDER(
            der,
            malformed: .malformedCMS,
            what: "CMS ContentInfo",
            decode: { cursor, length in d2i_CMS_ContentInfo(nil, cursor, length) },
            free: { CMS_ContentInfo_free($0) }
        )
        guard OBJ_obj2nid(CMS_get0_type(contentInfo)) == NID_pkcs7_signed else {
            CMS_ContentInfo_free(contentInfo)
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "CMS content type is not SignedData")
        }
        self.contentInfo = contentInfo
    }

    deinit {
        CMS_ContentInfo_free(contentInfo)
    }

    /// The only SignerInfo (borrowed from the message) of a detached SignedData.
    ///
    /// - Throws: `.malformedCMS` when the content is embedded (GateCheck signatures are detached, so the signed
    ///   bytes are always the ones the caller checks) or the number of signers is not exactly one.
    func soleSignerInfoOfDetachedSignature() throws(CryptoError) -> OpaquePointer {
        guard CMS_is_detached(contentInfo) == 1 else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "CMS SignedData is not detached")
        }
        guard let infos = CMS_get0_SignerInfos(contentInfo) else {
            throw OpenSSLSupport.error(.malformedCMS, "CMS SignedData has no SignerInfos")
        }
        let count = gatecheck_sk_CMS_SignerInfo_num(infos)
        guard count == 1, let info = gatecheck_sk_CMS_SignerInfo_value(infos, 0) else {
            ERR_clear_error()
            throw CryptoError(.malformedCMS, reason: "CMS SignedData has \(count) signers, expected 1")
        }
        return info
    }

    /// The embedded certificates as OpenSSL objects, in encoding order, plus the index of the certificate that
    /// `signerInfo` identifies (nil when it is not embedded).
    ///
    /// - Throws: `.inputTooLarge` above ``maxCertificates`` certificates.
    func certificates(
        signer signerInfo: OpaquePointer?
    ) throws(CryptoError) -> (stack: CertificateStack, signer: Int?) {
        // NULL both for "no certificates field" and for an allocation failure; either way there is nothing to use.
        guard let raw = CMS_get1_certs(contentInfo) else {
            ERR_clear_error()
            return (try CertificateStack(borrowing: []), nil)
        }
        let stack = CertificateStack(takingElementsOf: raw)
        guard stack.count <= Self.maxCertificates else {
            throw CryptoError(
                .inputTooLarge, reason: "CMS embeds \(stack.count) certificates, at most \(Self.maxCertificates)")
        }
        guard let signerInfo else { return (stack, nil) }
        // CMS_SignerInfo_cert_cmp matches the SignerIdentifier (issuer+serial or subjectKeyIdentifier); 0 = match.
        let signer = (0..<stack.count).first { index in
            stack[index].map { CMS_SignerInfo_cert_cmp(signerInfo, $0) == 0 } ?? false
        }
        ERR_clear_error()
        return (stack, signer)
    }

    /// Re-parses an embedded `X509` through ``Certificate/init(derEncoded:)`` (its original bytes: OpenSSL keeps
    /// the received encoding of parsed certificates).
    ///
    /// - Throws: `.malformedCMS` when the certificate does not satisfy ``Certificate``'s parser.
    static func certificate(from x509: OpaquePointer?) throws(CryptoError) -> Certificate {
        guard let x509, let der = OpenSSLSupport.encodeDER({ i2d_X509(x509, $0) }) else {
            throw OpenSSLSupport.error(.malformedCMS, "cannot encode an embedded certificate")
        }
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw CryptoError(.malformedCMS, reason: "embedded certificate: \(error)")
        }
    }
}
