import COpenSSL
import FoundationEssentials

extension CertificateRevocationList {
    /// Issues a v2 CRL signed by `issuerKey` under `issuer`'s name, listing `serialNumbers` (revoked at
    /// `thisUpdate`). For tests and test issuers; SHA-256 as in ``Certificate/issue(_:subjectKey:issuerKey:issuer:)``.
    /// The result is re-parsed, so it reads back exactly like a received CRL.
    /// - Throws: `.certificateCreationFailed` when OpenSSL refuses a value or the signature.
    public static func issue(
        revoking serialNumbers: [UInt64], issuer: Certificate, issuerKey: PrivateKey, thisUpdate: Date, nextUpdate: Date?
    ) throws(CryptoError) -> CertificateRevocationList {
        guard let crl = X509_CRL_new() else {
            throw OpenSSLSupport.error(.internalFailure, "X509_CRL_new failed")
        }
        defer { X509_CRL_free(crl) }
        func require(_ ok: Bool, _ what: String) throws(CryptoError) {
            guard ok else { throw OpenSSLSupport.error(.certificateCreationFailed, what) }
        }
        func time(_ date: Date) throws(CryptoError) -> UnsafeMutablePointer<ASN1_TIME> {
            guard let seconds = Int(exactly: date.timeIntervalSince1970.rounded(.down)),
                let time = ASN1_TIME_set(nil, time_t(seconds))
            else { throw OpenSSLSupport.error(.certificateCreationFailed, "time \(date)") }
            return time
        }
        try require(X509_CRL_set_version(crl, 1) == 1, "version")
        try require(X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.x509)) == 1, "issuer")
        let updated = try time(thisUpdate)
        defer { ASN1_TIME_free(updated) }
        try require(X509_CRL_set1_lastUpdate(crl, updated) == 1, "thisUpdate")
        if let nextUpdate {
            let next = try time(nextUpdate)
            defer { ASN1_TIME_free(next) }
            try require(X509_CRL_set1_nextUpdate(crl, next) == 1, "nextUpdate")
        }
        for serial in serialNumbers {
            guard let entry = X509_REVOKED_new() else { throw OpenSSLSupport.error(.internalFailure, "X509_REVOKED_new failed") }
            guard let number = ASN1_INTEGER_new() else {
                X509_REVOKED_free(entry)
                throw OpenSSLSupport.error(.internalFailure, "ASN1_INTEGER_new failed")
            }
            defer { ASN1_INTEGER_free(number) }
            guard ASN1_INTEGER_set_uint64(number, serial) == 1, X509_REVOKED_set_serialNumber(entry, number) == 1,
                X509_REVOKED_set_revocationDate(entry, updated) == 1, X509_CRL_add0_revoked(crl, entry) == 1
            else {
                X509_REVOKED_free(entry)
                throw OpenSSLSupport.error(.certificateCreationFailed, "revoked entry \(serial)")
            }
        }
        try require(X509_CRL_sort(crl) == 1, "sort")
        try require(X509_CRL_sign(crl, issuerKey.pkey, EVP_sha256()) > 0, "signing")
        guard let der = OpenSSLSupport.encodeDER({ i2d_X509_CRL(crl, $0) }) else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "encoding failed")
        }
        do {
            return try CertificateRevocationList(derEncoded: der)
        } catch {
            throw CryptoError(.certificateCreationFailed, reason: "issued CRL does not re-parse: \(error)")
        }
    }
}
