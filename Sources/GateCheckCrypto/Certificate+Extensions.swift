import COpenSSL

/// Read-only views of fields beyond what DCC verification needs: extensions by OID, the serial number, the
/// signature algorithm, CA-ness. ICAO Barcode Signer and CSCA certificates are checked through these.
extension Certificate {
    /// One X.509 extension: whether it is critical, and its `extnValue` (the DER inside the OCTET STRING).
    public struct Extension: Sendable, Hashable {
        public let isCritical: Bool
        public let value: [UInt8]
    }

    /// The extensions with dotted OID `oid`, in certificate order (normally none or one).
    public func extensions(withOID oid: String) -> [Extension] {
        var found: [Extension] = []
        let count = X509_get_ext_count(x509)
        guard count > 0 else { return [] }
        for index in 0..<count {
            guard let ext = X509_get_ext(x509, index), let object = X509_EXTENSION_get_object(ext),
                OIDText.dotted(object) == oid, let data = X509_EXTENSION_get_data(ext)
            else { continue }
            let length = Int(ASN1_STRING_length(data))
            let value: [UInt8] =
                if let start = ASN1_STRING_get0_data(data), length > 0 {
                    Array(UnsafeBufferPointer(start: start, count: length))
                } else { [] }
            found.append(Extension(isCritical: X509_EXTENSION_get_critical(ext) == 1, value: value))
        }
        return found
    }

    /// The serial number as upper-case hex of its magnitude (`18AD`), with a leading `-` when negative
    /// (some CSCAs have negative serials); nil when OpenSSL cannot convert it.
    public var serialNumberHex: String? {
        guard let serial = X509_get0_serialNumber(x509), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            ERR_clear_error()
            return nil
        }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else {
            ERR_clear_error()
            return nil
        }
        defer { gatecheck_OPENSSL_free(hex) }
        return String(cString: hex)
    }

    /// Dotted OID of the certificate's signature algorithm (`1.2.840.113549.1.1.10` for RSASSA-PSS).
    public var signatureAlgorithmOID: String? {
        var algorithm: UnsafePointer<X509_ALGOR>?
        X509_get0_signature(nil, &algorithm, x509)
        var object: OpaquePointer?
        guard let algorithm else { return nil }
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return object.flatMap { OIDText.dotted($0) }
    }

    /// Whether OpenSSL considers the certificate a CA (`X509_check_ca`: basicConstraints `CA:TRUE`, or the
    /// older forms it still accepts).
    public var isCertificateAuthority: Bool {
        X509_check_ca(x509) != 0
    }

    /// Whether the certificate is a CA (basicConstraints `CA:TRUE`, as OpenSSL judges it) whose subject is its
    /// issuer and whose signature verifies with its own key: what a loose CSCA file must be.
    public var isSelfSignedCertificateAuthority: Bool {
        let isCA = X509_check_ca(x509) != 0
        let selfSigned = X509_self_signed(x509, 1) == 1
        ERR_clear_error()
        return isCA && selfSigned
    }
}
