import COpenSSL
import FoundationEssentials

extension Certificate {
    /// Issues an X.509 v3 certificate for `subjectKey`, signed by `issuerKey`.
    ///
    /// Self-signed when `issuer` is nil: the issuer name is the subject name (and `issuerKey` should then be the
    /// subject's own private key). With an `issuer`, its subject name becomes the issuer name; that `issuerKey`
    /// belongs to `issuer` is not enforced, so tests can build deliberately mis-signed chains.
    /// Extensions: the template's EKU; for ``CertificateTemplate/isCertificateAuthority`` critical basicConstraints
    /// `CA:TRUE`, critical keyUsage `keyCertSign, cRLSign` and a subjectKeyIdentifier; and an
    /// authorityKeyIdentifier whenever `issuer` has a subjectKeyIdentifier. Nothing else.
    /// The signature algorithm follows the issuer key: ecdsa-with-SHA256 for EC, sha256WithRSAEncryption for RSA.
    /// The result is re-parsed through ``init(derEncoded:)``, so it reads back exactly like a received certificate.
    /// - Throws: `.certificateCreationFailed` for unusable template values (e.g. a country that is not two
    ///   letters, an invalid OID) or a failed signature; `.unsupportedKey` for an issuer key that is neither EC nor
    ///   RSA.
    public static func issue(
        _ template: CertificateTemplate,
        subjectKey: PublicKey,
        issuerKey: PrivateKey,
        issuer: Certificate? = nil
    ) throws(CryptoError) -> Certificate {
        switch issuerKey.publicKey.kind {
        case .ec, .rsa:
            break
        case .other(let name):
            throw CryptoError(.unsupportedKey, reason: "cannot issue certificates with a \(name) key")
        }
        guard let x509 = X509_new() else {
            throw OpenSSLSupport.error(.internalFailure, "X509_new failed")
        }
        defer { X509_free(x509) }

        func require(_ ok: Bool, _ what: String) throws(CryptoError) {
            guard ok else { throw OpenSSLSupport.error(.certificateCreationFailed, what) }
        }
        try require(X509_set_version(x509, Int(X509_VERSION_3)) == 1, "version")
        try require(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), template.serialNumber) == 1, "serial")
        try require(setTime(template.notBefore, X509_set1_notBefore, on: x509), "notBefore \(template.notBefore)")
        try require(setTime(template.notAfter, X509_set1_notAfter, on: x509), "notAfter \(template.notAfter)")

        // The name is borrowed from the certificate, which owns it.
        let subject = X509_get_subject_name(x509)
        try require(addEntry(NID_countryName, template.country, to: subject), "country \(template.country)")
        try require(addEntry(NID_commonName, template.commonName, to: subject), "common name \(template.commonName)")
        let issuerName = issuer.map { X509_get_subject_name($0.x509) } ?? subject
        try require(X509_set_issuer_name(x509, issuerName) == 1, "issuer name")
        try require(X509_set_pubkey(x509, subjectKey.pkey) == 1, "public key")

        if let oids = template.extendedKeyUsageOIDs, !oids.isEmpty {
            try addExtendedKeyUsage(oids, to: x509)
        }
        if template.isCertificateAuthority {
            try addExtension(NID_basic_constraints, "critical,CA:TRUE", to: x509, issuer: issuer)
            try addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", to: x509, issuer: issuer)
            try addExtension(NID_subject_key_identifier, "hash", to: x509, issuer: issuer)
        }
        // Why: with several anchors of the same name (a root rollover), OpenSSL picks the issuer candidate by name
        // and authorityKeyIdentifier only; without the AKI it may try the wrong key and reject a valid chain.
        // Only issuers that carry a subjectKeyIdentifier (CAs issued here) cause one, so DSCs from older
        // issuers are unchanged.
        if let issuer, X509_get0_subject_key_id(issuer.x509) != nil {
            try addExtension(NID_authority_key_identifier, "keyid:always", to: x509, issuer: issuer)
        }

        for custom in template.customExtensions {
            try addCustomExtension(custom, to: x509)
        }

        try require(X509_sign(x509, issuerKey.pkey, EVP_sha256()) > 0, "signing")

        guard let der = OpenSSLSupport.encodeDER({ i2d_X509(x509, $0) }) else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "encoding failed")
        }
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw CryptoError(.certificateCreationFailed, reason: "issued certificate does not re-parse: \(error)")
        }
    }

    /// Sets a validity bound; `ASN1_TIME_set` picks UTCTime for 1950–2049 and GeneralizedTime otherwise,
    /// as RFC 5280 requires.
    private static func setTime(
        _ date: Date, _ setter: (OpaquePointer?, UnsafePointer<ASN1_TIME>?) -> Int32, on x509: OpaquePointer
    ) -> Bool {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard let since1970 = Int(exactly: seconds), let time = ASN1_TIME_set(nil, time_t(since1970)) else {
            return false
        }
        defer { ASN1_TIME_free(time) }
        return setter(x509, time) == 1
    }

    /// Appends a UTF-8 name entry; OpenSSL applies the attribute's string type and size rules (e.g. C = 2 chars).
    private static func addEntry(_ nid: Int32, _ value: String, to name: OpaquePointer?) -> Bool {
        var bytes = Array(value.utf8)
        guard !bytes.isEmpty, let length = Int32(exactly: bytes.count) else { return false }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, buffer.baseAddress, length, -1, 0) == 1
        }
    }

    /// Adds one extension from its OpenSSL config-string form (`"critical,CA:TRUE"`, `"hash"`, `"keyid:always"`).
    ///
    /// The X509V3 context names the subject (for the subjectKeyIdentifier hash over its key) and the issuer (for
    /// the authorityKeyIdentifier); a self-signed certificate is its own issuer.
    private static func addExtension(
        _ nid: Int32, _ value: String, to x509: OpaquePointer, issuer: Certificate?
    ) throws(CryptoError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.x509 ?? x509, x509, nil, nil, 0)
        guard let extensionObject = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "cannot build extension \(nid) = \(value)")
        }
        defer { X509_EXTENSION_free(extensionObject) }
        guard X509_add_ext(x509, extensionObject, -1) == 1 else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "cannot add extension \(nid)")
        }
    }

    /// Adds a non-critical EKU extension with the given dotted OIDs.
    private static func addExtendedKeyUsage(_ oids: [String], to x509: OpaquePointer) throws(CryptoError) {
        guard let stack = gatecheck_sk_ASN1_OBJECT_new_null() else {
            throw OpenSSLSupport.error(.internalFailure, "stack allocation failed")
        }
        defer { gatecheck_sk_ASN1_OBJECT_pop_free(stack) }
        for oid in oids {
            // no_name = 1: only dotted numbers are accepted, never OpenSSL short/long names.
            guard let object = OBJ_txt2obj(oid, 1) else {
                throw OpenSSLSupport.error(.certificateCreationFailed, "invalid OID \(oid)")
            }
            guard gatecheck_sk_ASN1_OBJECT_push(stack, object) > 0 else {
                ASN1_OBJECT_free(object)
                throw OpenSSLSupport.error(.internalFailure, "stack push failed")
            }
        }
        guard
            X509_add1_ext_i2d(x509, NID_ext_key_usage, UnsafeMutableRawPointer(stack), 0, UInt(X509V3_ADD_DEFAULT)) == 1
        else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "cannot add the extended key usage extension")
        }
    }

    /// Adds an extension given by OID and DER value.
    private static func addCustomExtension(_ custom: CertificateTemplate.CustomExtension, to x509: OpaquePointer) throws(CryptoError) {
        guard let object = OBJ_txt2obj(custom.oid, 1) else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "invalid OID \(custom.oid)")
        }
        defer { ASN1_OBJECT_free(object) }
        guard let octets = ASN1_OCTET_STRING_new() else {
            throw OpenSSLSupport.error(.internalFailure, "ASN1_OCTET_STRING_new failed")
        }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard let length = Int32(exactly: custom.value.count),
            ASN1_OCTET_STRING_set(octets, custom.value, length) == 1,
            let extensionObject = X509_EXTENSION_create_by_OBJ(nil, object, custom.isCritical ? 1 : 0, octets)
        else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "cannot build extension \(custom.oid)")
        }
        defer { X509_EXTENSION_free(extensionObject) }
        guard X509_add_ext(x509, extensionObject, -1) == 1 else {
            throw OpenSSLSupport.error(.certificateCreationFailed, "cannot add extension \(custom.oid)")
        }
    }
}
