import COpenSSL
import FoundationEssentials

/// Detached CMS SignedData (RFC 5652) for signed trust bundles.
///
/// A bundle's manifest is signed by a bundle-signing key whose certificate chains to an anchor the device pins.
/// Verification follows the OpenBSD signify order: first ``trustedSigner(of:anchors:at:)`` ("is this a signer
/// we know?"), then ``verify(_:content:anchors:at:)`` (the signature over the content, which repeats the first
/// step so it can never be skipped). Only the shape GateCheck produces is accepted: DER, at most 64 KiB,
/// detached content, exactly one SignerInfo whose certificate is embedded.
///
/// Trust decisions, and why:
/// - a path must end at a self-signed certificate in `anchors`; partial chains are refused, so neither an
///   intermediate nor the leaf becomes trusted merely by being listed in `anchors`. Non-root certificates in
///   `anchors` may still serve as path elements (a folder holding root and intermediate works);
/// - certificate purpose is not checked (OpenSSL's CMS default is S/MIME signing, meaningless here), but CA
///   certificates in the path must carry basicConstraints `CA:TRUE`;
/// - validity is checked at the caller's `time` (the appliance clock is not trusted), for every certificate in
///   the path, as OpenSSL does it: valid in [notBefore, notAfter), i.e. at exactly notAfter already expired;
///   no CRLs;
/// - signer keys: EC on P-256, P-384 or P-521, or RSA of at least 2048 bits.
public enum CMSSignature {
    /// Content-independent CMS flags: detached, no MIME canonicalisation, no S/MIME capabilities attribute.
    private static let signFlags = UInt32(CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP)

    /// Detached CMS SignedData (DER) over `content`, signed with SHA-256 by `key`.
    ///
    /// `certificate` (the signer's) and `chain` (intermediates; the root may be omitted, the device has it) are
    /// embedded so the device can build the path to its anchor. Signed attributes (content type, message digest,
    /// signing time) are included, as OpenSSL does by default. ECDSA for EC keys, PKCS#1 v1.5 for RSA keys.
    /// - Throws: `.unsupportedKey` for a key that is not P-256/384/521 EC or RSA ≥ 2048; `.signingFailed` when
    ///   `key` does not match `certificate` or OpenSSL cannot sign.
    public static func sign(
        _ content: [UInt8], key: PrivateKey, certificate: Certificate, chain: [Certificate] = []
    ) throws(CryptoError) -> [UInt8] {
        try requireSupportedSignerKey(key.publicKey)
        let extraCertificates = try CertificateStack(borrowing: chain)
        // CMS_PARTIAL: create an empty SignedData, so the signer can be added with an explicit digest.
        guard let contentInfo = CMS_sign(nil, nil, extraCertificates.stack, nil, signFlags | UInt32(CMS_PARTIAL))
        else {
            throw OpenSSLSupport.error(.signingFailed, "CMS_sign failed")
        }
        defer { CMS_ContentInfo_free(contentInfo) }
        // The SignerInfo is owned by `contentInfo`. CMS_add1_signer refuses a key that does not match the cert.
        guard CMS_add1_signer(contentInfo, certificate.x509, key.pkey, EVP_sha256(), signFlags) != nil else {
            throw OpenSSLSupport.error(.signingFailed, "CMS_add1_signer failed (does the key match the certificate?)")
        }
        let finalized = try withMemoryBIO(content) { bio in CMS_final(contentInfo, bio, nil, signFlags) == 1 }
        guard finalized else {
            throw OpenSSLSupport.error(.signingFailed, "CMS_final failed")
        }
        guard let der = OpenSSLSupport.encodeDER({ i2d_CMS_ContentInfo(contentInfo, $0) }) else {
            throw OpenSSLSupport.error(.signingFailed, "cannot encode the CMS ContentInfo")
        }
        return der
    }

    /// The certificates embedded in a CMS SignedData, parsed without checking anything (no path, no signature,
    /// no validity): for diagnostics such as `gatecheck trust inspect`.
    ///
    /// The signer's certificate comes first when the first SignerInfo identifies an embedded certificate; the
    /// others follow in encoding order.
    /// - Throws: `.inputTooLarge` above 64 KiB or 16 certificates, `.malformedCMS` for anything that is not a
    ///   SignedData or holds a certificate that does not parse, `.trailingData` for bytes after the structure.
    public static func embeddedCertificates(_ cms: [UInt8]) throws(CryptoError) -> [Certificate] {
        let message = try SignedDataMessage(derEncoded: cms)
        var firstSignerInfo: OpaquePointer?
        if let infos = CMS_get0_SignerInfos(message.contentInfo), gatecheck_sk_CMS_SignerInfo_num(infos) > 0 {
            firstSignerInfo = gatecheck_sk_CMS_SignerInfo_value(infos, 0)
        }
        ERR_clear_error()
        let (stack, signer) = try message.certificates(signer: firstSignerInfo)
        var order = Array(0..<stack.count)
        if let signer {
            order.remove(at: signer)
            order.insert(signer, at: 0)
        }
        var certificates: [Certificate] = []
        for index in order {
            certificates.append(try SignedDataMessage.certificate(from: stack[index]))
        }
        return certificates
    }

    /// Step "known signer": the CMS has exactly one SignerInfo, its certificate is embedded, and it chains
    /// (through embedded intermediates only as candidates) to one of `anchors`, with every certificate in the
    /// path valid at `time`.
    ///
    /// Does **not** verify the signature over the content; use ``verify(_:content:anchors:at:)`` for that.
    /// - Returns: the signer's certificate.
    /// - Throws: `.untrustedSigner` when `anchors` is empty, the signer certificate is not embedded, or no path
    ///   reaches an anchor (including paths that would need a partial chain); `.signerCertificateExpired` when
    ///   the path reaches an anchor but a certificate in it is outside its validity at `time`; `.unsupportedKey`
    ///   for a signer key outside the supported set; `.malformedCMS`, `.trailingData` or `.inputTooLarge` for
    ///   input that is not a GateCheck signature.
    public static func trustedSigner(
        of cms: [UInt8], anchors: [Certificate], at time: Date
    ) throws(CryptoError) -> Certificate {
        let message = try SignedDataMessage(derEncoded: cms)
        let store = try CertificatePathVerifier(anchors: anchors, time: time)
        return try trustedSigner(of: message, store: store)
    }

    /// Step "signature": the full check, ``trustedSigner(of:anchors:at:)`` first and then OpenSSL's `CMS_verify`
    /// of the detached `content` against the same anchors and time (purpose any, binary content, no CRLs).
    ///
    /// The content is not size-capped here; the caller caps the manifest before reading it.
    /// - Returns: the signer's certificate.
    /// - Throws: everything ``trustedSigner(of:anchors:at:)`` throws (never accepts with empty `anchors`), then
    ///   `.signatureInvalid` when the signature does not match `content` or the signed attributes.
    public static func verify(
        _ cms: [UInt8], content: [UInt8], anchors: [Certificate], at time: Date
    ) throws(CryptoError) -> Certificate {
        let message = try SignedDataMessage(derEncoded: cms)
        let store = try CertificatePathVerifier(anchors: anchors, time: time)
        let signer = try trustedSigner(of: message, store: store)

        // certs = nil: only the embedded certificates are candidates, as in the step above.
        let verified = try withMemoryBIO(content) { bio in
            CMS_verify(message.contentInfo, nil, store.store, bio, nil, UInt32(CMS_BINARY | CMS_NOCRL)) == 1
        }
        guard verified else {
            // The path was checked above, so a path error here would mean OpenSSL saw a different path.
            let pathError = ERR_GET_REASON(ERR_peek_last_error()) == CMS_R_CERTIFICATE_VERIFY_ERROR
            throw OpenSSLSupport.error(
                pathError ? .untrustedSigner : .signatureInvalid,
                pathError ? "CMS_verify rejected the signer's path" : "CMS signature does not match the content")
        }
        // Belt and braces: the certificate CMS_verify used must be the one the path check returned.
        guard let signers = CMS_get0_signers(message.contentInfo) else {
            throw OpenSSLSupport.error(.internalFailure, "CMS_get0_signers failed after verification")
        }
        let usedSigner = CertificateStack(borrowingElementsOf: signers)
        guard usedSigner.count == 1, let used = usedSigner[0],
            OpenSSLSupport.encodeDER({ i2d_X509(used, $0) }) == signer.derBytes
        else {
            ERR_clear_error()
            throw CryptoError(.internalFailure, reason: "CMS_verify used a different signer certificate")
        }
        return signer
    }

    // MARK: - Internals

    /// The path check shared by both steps.
    private static func trustedSigner(
        of message: SignedDataMessage, store: CertificatePathVerifier
    ) throws(CryptoError) -> Certificate {
        let signerInfo = try message.soleSignerInfoOfDetachedSignature()
        let (embedded, signerIndex) = try message.certificates(signer: signerInfo)
        guard let signerIndex, let signerX509 = embedded[signerIndex] else {
            throw CryptoError(.untrustedSigner, reason: "the signer's certificate is not embedded")
        }
        let signer = try SignedDataMessage.certificate(from: signerX509)
        try store.verifyPath(leaf: signerX509, untrusted: embedded)
        // Key policy after the path: an unknown signer is reported as unknown, whatever its key.
        try requireSupportedSignerKey(signer.publicKey)
        return signer
    }

    /// P-256/384/521 EC or RSA ≥ 2048: what OpenSSL CMS signs well and the back office issues.
    private static func requireSupportedSignerKey(_ key: PublicKey) throws(CryptoError) {
        switch key.kind {
        case .ec(curve: "prime256v1"), .ec(curve: "secp384r1"), .ec(curve: "secp521r1"):
            return
        case .rsa(let bits) where bits >= 2048:
            return
        default:
            throw CryptoError(.unsupportedKey, reason: "unsupported CMS signer key \(key.kind)")
        }
    }

    /// Runs `body` with a read-only memory BIO over `bytes` (borrowed for the duration of the call).
    private static func withMemoryBIO(
        _ bytes: [UInt8], _ body: (OpaquePointer) -> Bool
    ) throws(CryptoError) -> Bool {
        guard let length = Int32(exactly: bytes.count) else {
            throw CryptoError(.inputTooLarge, reason: "content of \(bytes.count) bytes")
        }
        // BIO_new_mem_buf refuses a NULL pointer, which an empty array may have: lend a dummy byte instead.
        let storage = bytes.isEmpty ? [0] : bytes
        return try storage.withUnsafeBufferPointer { buffer throws(CryptoError) -> Bool in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, length) else {
                throw OpenSSLSupport.error(.internalFailure, "BIO_new_mem_buf failed")
            }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
