import COpenSSL
import FoundationEssentials

/// Chains leaf certificates to a fixed set of CA certificates (e.g. an ICAO CSCA master list) through
/// OpenSSL's X.509 path, at a time the caller gives per check. Built once (one `X509_STORE` holding every
/// anchor), then shared: each check has its own `X509_STORE_CTX`.
///
/// The store is ``CertificatePathVerifier``'s (purpose any; issuers must be CAs), with two differences set per
/// check, because ICAO's PKI is not the Web's:
/// - every anchor is a trust anchor (`X509_V_FLAG_PARTIAL_CHAIN`): a master list vouches for each CSCA, link
///   certificates included, and OpenSSL's own idea of "self-signed" (which also wants the authorityKeyIdentifier
///   to match and the signature algorithm to fit the key) fails for many real CSCAs. A path ends at the first
///   anchor, so signer validity concerns the signer and the CSCA that issued it, not older roots above it. Give
///   only CA certificates as anchors;
/// - EC keys with explicit curve parameters are accepted (OpenSSL 3 refuses them in paths,
///   `X509_V_ERR_EC_KEY_EXPLICIT_PARAMS`); 144 of the German master list's CSCAs have them.
/// Whatever else OpenSSL can load verifies: RSASSA-PSS and SHA-1 signatures, brainpool curves.
public final class CertificateAuthorityPath: @unchecked Sendable {
    /// What a check found.
    public enum Outcome: Sendable {
        /// A path from the leaf to an anchor, every certificate valid at the time: leaf first, anchor last.
        case trusted(chain: [Certificate])
        /// The path exists, but a certificate in it is outside its validity at the time (leaf first).
        case outsideValidity(chain: [Certificate])
        /// No path to an anchor (unknown issuer, a signature in the path that does not verify, a non-CA issuer, …).
        case untrusted(reason: String)
    }

    /// The anchors, in the order given.
    public let anchors: [Certificate]
    private let verifier: CertificatePathVerifier
    /// Anchor objects by their `X509` pointer, to give the path back as ``Certificate``s without re-parsing.
    private let anchorsByPointer: [OpaquePointer: Certificate]

    /// - Throws: `.untrustedSigner` for an empty anchor list, `.internalFailure` when OpenSSL refuses the store.
    public init(anchors: [Certificate]) throws(CryptoError) {
        self.anchors = anchors
        // The store's own time is a placeholder: every check sets its time on its context.
        self.verifier = try CertificatePathVerifier(anchors: anchors, time: Date(timeIntervalSince1970: 0))
        var byPointer: [OpaquePointer: Certificate] = [:]
        for anchor in anchors { byPointer[anchor.x509] = anchor }
        self.anchorsByPointer = byPointer
    }

    /// Chains `leaf` (with `intermediates` as untrusted candidates) to an anchor, checking validity at `time`.
    public func check(_ leaf: Certificate, intermediates: [Certificate] = [], at time: Date) -> Outcome {
        let candidates: CertificateStack
        do {
            candidates = try CertificateStack(borrowing: intermediates)
        } catch {
            return .untrusted(reason: "\(error)")
        }
        var known = anchorsByPointer
        known[leaf.x509] = leaf
        for intermediate in intermediates { known[intermediate.x509] = intermediate }
        switch verifier.chain(leaf: leaf.x509, untrusted: candidates, at: time, anchorsAreTrusted: true) {
        case .verified(let chain):
            return Self.certificates(chain, known: known).map { .trusted(chain: $0) } ?? .untrusted(reason: "unexpected path element")
        case .failed(let code, let reason) where code == X509_V_ERR_CERT_HAS_EXPIRED || code == X509_V_ERR_CERT_NOT_YET_VALID:
            // Is there a path at all? Then the failure is one of validity, reported as such.
            guard case .verified(let chain) = verifier.chain(leaf: leaf.x509, untrusted: candidates, at: nil, anchorsAreTrusted: true),
                let certificates = Self.certificates(chain, known: known)
            else { return .untrusted(reason: reason) }
            return .outsideValidity(chain: certificates)
        case .failed(_, let reason):
            return .untrusted(reason: reason)
        }
    }

    private static func certificates(_ chain: CertificateStack, known: [OpaquePointer: Certificate]) -> [Certificate]? {
        var result: [Certificate] = []
        for index in 0..<chain.count {
            guard let pointer = chain[index], let certificate = known[pointer] else { return nil }
            result.append(certificate)
        }
        return result
    }
}

extension CertificatePathVerifier {
    enum ChainResult {
        case verified(CertificateStack)
        case failed(code: Int32, reason: String)
    }

    /// Builds and verifies a path like ``verifyPath(leaf:untrusted:)``, at `time` set on this check's context
    /// (nil: validity is not checked, `X509_V_FLAG_NO_CHECK_TIME`), and returns it.
    func chain(leaf: OpaquePointer, untrusted: CertificateStack, at time: Date?, anchorsAreTrusted: Bool = false) -> ChainResult {
        guard let context = X509_STORE_CTX_new() else {
            return .failed(code: -1, reason: OpenSSLSupport.error(.internalFailure, "X509_STORE_CTX_new failed").description)
        }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf, untrusted.stack) == 1, let parameters = X509_STORE_CTX_get0_param(context)
        else {
            return .failed(code: -1, reason: OpenSSLSupport.error(.internalFailure, "X509_STORE_CTX_init failed").description)
        }
        if let time {
            guard let seconds = Int(exactly: time.timeIntervalSince1970.rounded(.down)) else {
                return .failed(code: -1, reason: "verification time \(time) is not representable")
            }
            X509_VERIFY_PARAM_set_time(parameters, time_t(seconds))
        } else {
            // The store's placeholder time sets USE_CHECK_TIME, which OpenSSL 3.0 honours before NO_CHECK_TIME.
            X509_VERIFY_PARAM_clear_flags(parameters, UInt(X509_V_FLAG_USE_CHECK_TIME))
            X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_NO_CHECK_TIME))
        }
        if anchorsAreTrusted {
            X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN))
            // Explicit EC parameters are the only error waived; everything else still fails the path.
            X509_STORE_CTX_set_verify_cb(context) { ok, context in
                ok == 0 && X509_STORE_CTX_get_error(context) == X509_V_ERR_EC_KEY_EXPLICIT_PARAMS ? 1 : ok
            }
        }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let depth = X509_STORE_CTX_get_error_depth(context)
            let text = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
            ERR_clear_error()
            return .failed(code: code, reason: "certificate path: \(text) at depth \(depth)")
        }
        guard let chain = X509_STORE_CTX_get1_chain(context) else {
            ERR_clear_error()
            return .failed(code: -1, reason: "no chain after verification")
        }
        return .verified(CertificateStack(takingElementsOf: chain))
    }
}
