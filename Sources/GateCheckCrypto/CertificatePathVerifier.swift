import COpenSSL
import FoundationEssentials

/// Verifies a certificate path to given anchors: an owned `X509_STORE`, configured for trust-bundle signers.
/// Which anchors the device pins is TrustStore's business; this only builds and checks the path.
///
/// Configuration, and why:
/// - purpose ANY: OpenSSL's CMS code otherwise demands the S/MIME-signing purpose, which a bundle-signing
///   certificate has no reason to carry. CA certificates in the path must still be CAs (basicConstraints).
/// - an explicit verification time (`X509_VERIFY_PARAM_set_time`, which also sets `X509_V_FLAG_USE_CHECK_TIME`):
///   the appliance has no RTC, so the caller passes its trusted time instead of OpenSSL reading the clock.
/// - no `X509_V_FLAG_PARTIAL_CHAIN`: a path must end at a self-signed anchor. An intermediate or the leaf itself
///   placed among the anchors without its root is not enough; this keeps "anchor" meaning "root the device pins".
/// - no CRL flags: revocation of bundle signers is handled by replacing anchors, not by CRLs.
final class CertificatePathVerifier {
    /// Owned `X509_STORE`.
    let store: OpaquePointer

    /// - Throws: `.untrustedSigner` for an empty anchor list (nothing can be trusted), `.internalFailure` if
    ///   OpenSSL refuses the configuration or `time` is not representable.
    init(anchors: [Certificate], time: Date) throws(CryptoError) {
        guard !anchors.isEmpty else {
            throw CryptoError(.untrustedSigner, reason: "no trust anchors")
        }
        let seconds = time.timeIntervalSince1970.rounded(.down)
        guard let since1970 = Int(exactly: seconds) else {
            throw CryptoError(.internalFailure, reason: "verification time \(time) is not representable")
        }
        guard let store = X509_STORE_new() else {
            throw OpenSSLSupport.error(.internalFailure, "X509_STORE_new failed")
        }
        self.store = store
        // X509_STORE_add_cert takes its own reference; adding the same anchor twice is harmless in OpenSSL 3.
        for anchor in anchors where X509_STORE_add_cert(store, anchor.x509) != 1 {
            throw OpenSSLSupport.error(.internalFailure, "X509_STORE_add_cert failed")
        }
        guard X509_STORE_set_purpose(store, X509_PURPOSE_ANY) == 1, let parameters = X509_STORE_get0_param(store)
        else {
            throw OpenSSLSupport.error(.internalFailure, "cannot configure the X509_STORE")
        }
        X509_VERIFY_PARAM_set_time(parameters, time_t(since1970))
    }

    deinit {
        X509_STORE_free(store)
    }

    /// Builds and verifies the path from `leaf` through `untrusted` (candidates only, never trusted themselves)
    /// to an anchor.
    ///
    /// - Throws: `.signerCertificateExpired` when the only problem OpenSSL reports is a certificate outside its
    ///   validity at the store's time; `.untrustedSigner` for every other failure (no path to an anchor, a bad
    ///   signature on a certificate, a non-CA issuer, …).
    func verifyPath(leaf: OpaquePointer, untrusted: CertificateStack) throws(CryptoError) {
        guard let context = X509_STORE_CTX_new() else {
            throw OpenSSLSupport.error(.internalFailure, "X509_STORE_CTX_new failed")
        }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf, untrusted.stack) == 1 else {
            throw OpenSSLSupport.error(.internalFailure, "X509_STORE_CTX_init failed")
        }
        if X509_verify_cert(context) == 1 {
            return
        }
        let code = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        let text = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
        let reason = "certificate path: \(text) at depth \(depth)"
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
            ERR_clear_error()
            throw CryptoError(.signerCertificateExpired, reason: reason)
        default:
            throw OpenSSLSupport.error(.untrustedSigner, reason)
        }
    }
}
