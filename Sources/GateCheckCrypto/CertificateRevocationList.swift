import COpenSSL
import FoundationEssentials

/// A parsed X.509 CRL (DER), as CSCAs publish them. Immutable; the CRL's signature is checked against a
/// candidate issuer with ``isSigned(by:)``, never assumed.
public final class CertificateRevocationList: @unchecked Sendable {
    /// Owned `X509_CRL`.
    let crl: OpaquePointer

    /// The exact bytes the CRL was parsed from.
    public let derBytes: [UInt8]
    /// `thisUpdate`.
    public let thisUpdate: Date
    /// `nextUpdate`, nil when the CRL has none.
    public let nextUpdate: Date?

    /// - Throws: `.inputTooLarge` above 64 KiB, `.malformedCertificate` when it does not parse or its dates do
    ///   not, `.trailingData` when bytes follow it.
    public init(derEncoded der: [UInt8]) throws(CryptoError) {
        let crl = try OpenSSLSupport.decodeDER(
            der, malformed: .malformedCertificate, what: "CRL",
            decode: { cursor, length in d2i_X509_CRL(nil, cursor, length) },
            free: { X509_CRL_free($0) })
        do {
            thisUpdate = try Certificate.date(X509_CRL_get0_lastUpdate(crl), field: "CRL thisUpdate")
            nextUpdate = try X509_CRL_get0_nextUpdate(crl).map { time throws(CryptoError) in
                try Certificate.date(time, field: "CRL nextUpdate")
            }
        } catch {
            X509_CRL_free(crl)
            throw error
        }
        self.crl = crl
        self.derBytes = der
    }

    deinit {
        X509_CRL_free(crl)
    }

    /// Whether `issuer` is the CRL's issuer: its subject is the CRL's issuer name and the CRL's signature
    /// verifies with its key.
    public func isSigned(by issuer: Certificate) -> Bool {
        guard X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer.x509)) == 0 else { return false }
        let verified = X509_CRL_verify(crl, issuer.publicKey.pkey) == 1
        ERR_clear_error()
        return verified
    }

    /// Whether the CRL lists `certificate`: same issuer name and serial number. Does not check who signed the
    /// CRL; pair it with ``isSigned(by:)``.
    public func lists(_ certificate: Certificate) -> Bool {
        guard X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(certificate.x509)) == 0,
            let serial = X509_get0_serialNumber(certificate.x509)
        else { return false }
        var entry: OpaquePointer?
        // 1: listed; 2: listed as removeFromCRL (a delta-CRL un-revocation), which does not revoke.
        let found = X509_CRL_get0_by_serial(crl, &entry, serial)
        ERR_clear_error()
        return found == 1
    }

    /// Number of revoked entries.
    public var revokedCount: Int {
        guard let revoked = X509_CRL_get_REVOKED(crl) else { return 0 }
        return Int(max(0, gatecheck_sk_X509_REVOKED_num(revoked)))
    }
}
