import COpenSSL

/// An owned OpenSSL `STACK_OF(X509)`, freed in `deinit`.
///
/// Two ownership modes, because OpenSSL hands out both kinds: a stack built from ``Certificate`` objects only
/// borrows their `X509`s (and keeps the objects alive), while a stack returned by e.g. `CMS_get1_certs` holds
/// one reference per element that must be released with the stack.
final class CertificateStack {
    /// Owned `STACK_OF(X509)`.
    let stack: OpaquePointer
    private let ownsElements: Bool
    /// Keeps borrowed certificates alive for as long as the stack points at them.
    private let borrowed: [Certificate]

    /// A stack that borrows the `X509`s of `certificates`.
    init(borrowing certificates: [Certificate]) throws(CryptoError) {
        guard let stack = gatecheck_sk_X509_new_null() else {
            throw OpenSSLSupport.error(.internalFailure, "sk_X509_new_null failed")
        }
        for certificate in certificates where gatecheck_sk_X509_push(stack, certificate.x509) <= 0 {
            gatecheck_sk_X509_free(stack)
            throw OpenSSLSupport.error(.internalFailure, "sk_X509_push failed")
        }
        self.stack = stack
        self.ownsElements = false
        self.borrowed = certificates
    }

    /// Takes ownership of `stack` and of one reference to each of its elements (e.g. `CMS_get1_certs`).
    init(takingElementsOf stack: OpaquePointer) {
        self.stack = stack
        self.ownsElements = true
        self.borrowed = []
    }

    /// Takes ownership of `stack` only; its elements are borrowed from elsewhere (e.g. `CMS_get0_signers`,
    /// whose elements belong to the CMS structure, which must outlive this stack).
    init(borrowingElementsOf stack: OpaquePointer) {
        self.stack = stack
        self.ownsElements = false
        self.borrowed = []
    }

    deinit {
        if ownsElements {
            gatecheck_sk_X509_pop_free(stack)
        } else {
            gatecheck_sk_X509_free(stack)
        }
    }

    /// Number of certificates.
    var count: Int {
        Int(max(0, gatecheck_sk_X509_num(stack)))
    }

    /// The `X509` at `index` (borrowed from the stack; valid while the stack lives).
    subscript(index: Int) -> OpaquePointer? {
        gatecheck_sk_X509_value(stack, Int32(index))
    }
}
