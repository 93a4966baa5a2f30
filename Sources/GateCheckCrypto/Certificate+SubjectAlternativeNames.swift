import COpenSSL

extension Certificate {
    /// The `uniformResourceIdentifier` entries of the subject alternative name extension, in certificate order;
    /// empty when the extension is absent or holds none. A SMART Health Card issuer's `x5c` leaf names its `iss`
    /// here.
    ///
    /// - Throws: `.malformedCertificate` when the extension is present but undecodable or duplicated.
    public func uniformResourceIdentifierNames() throws(CryptoError) -> [String] {
        var critical: Int32 = 0
        guard let decoded = X509_get_ext_d2i(x509, NID_subject_alt_name, &critical, nil) else {
            if critical == -1 {
                ERR_clear_error()
                return []
            }
            throw OpenSSLSupport.error(.malformedCertificate, "undecodable subject alternative name")
        }
        let names = OpaquePointer(decoded)  // GENERAL_NAMES == STACK_OF(GENERAL_NAME), owned here
        defer { GENERAL_NAMES_free(names) }
        var uris: [String] = []
        for index in 0..<max(0, OPENSSL_sk_num(names)) {
            guard let raw = OPENSSL_sk_value(names, index) else { continue }
            let name = raw.assumingMemoryBound(to: GENERAL_NAME.self)
            guard name.pointee.type == GEN_URI, let text = name.pointee.d.uniformResourceIdentifier,
                let data = ASN1_STRING_get0_data(text)
            else { continue }
            let length = Int(ASN1_STRING_length(text))
            uris.append(String(decoding: UnsafeBufferPointer(start: data, count: max(0, length)), as: UTF8.self))
        }
        return uris
    }

    /// Whether this certificate's signature verifies with `issuer`'s public key (names and validity are not
    /// looked at): one link of a chain that has no anchor of its own, such as a JWK's `x5c`.
    public func isSigned(by issuer: Certificate) -> Bool {
        let verified = X509_verify(x509, issuer.publicKey.pkey) == 1
        ERR_clear_error()
        return verified
    }
}
