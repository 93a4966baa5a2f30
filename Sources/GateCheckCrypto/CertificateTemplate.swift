import FoundationEssentials

/// The fields of a certificate to issue with ``Certificate/issue(_:subjectKey:issuerKey:issuer:)``.
///
/// Only what the project's test issuer and back-office tools need: a subject of `C` + `CN`, validity,
/// optional EKU, a serial number and whether the certificate is a CA. Leaf certificates get no extensions
/// besides the EKU, so DSCs look like the ones issued before CA support existed.
public struct CertificateTemplate: Sendable {
    /// Subject `CN`.
    public var commonName: String
    /// Subject `C` (two letters; OpenSSL refuses other lengths).
    public var country: String
    /// Start of validity (whole seconds; fractions are truncated toward the past).
    public var notBefore: Date
    /// End of validity (whole seconds; fractions are truncated toward the past).
    public var notAfter: Date
    /// EKU OIDs in dotted form; `nil` or `[]` omit the extension.
    public var extendedKeyUsageOIDs: [String]?
    /// The certificate serial number.
    public var serialNumber: UInt64
    /// Whether the certificate may issue others (a trust-bundle root or intermediate).
    ///
    /// When true, ``Certificate/issue(_:subjectKey:issuerKey:issuer:)`` adds critical basicConstraints `CA:TRUE`,
    /// critical keyUsage `keyCertSign, cRLSign` and a subjectKeyIdentifier; OpenSSL's chain builder refuses a
    /// "CA" without basicConstraints. False adds nothing.
    public var isCertificateAuthority: Bool
    /// Further extensions, added as given after the others (e.g. ICAO's Document Type List in a test Barcode
    /// Signer). Empty by default, which issues exactly what was issued before this field existed.
    public var customExtensions: [CustomExtension] = []

    /// An extension given by OID and its DER `extnValue`.
    public struct CustomExtension: Sendable, Hashable {
        public var oid: String
        public var isCritical: Bool
        public var value: [UInt8]

        public init(oid: String, isCritical: Bool, value: [UInt8]) {
            self.oid = oid
            self.isCritical = isCritical
            self.value = value
        }
    }

    /// Creates a template; without EKU OIDs the certificate has no EKU extension.
    public init(
        commonName: String,
        country: String,
        notBefore: Date,
        notAfter: Date,
        extendedKeyUsageOIDs: [String]? = nil,
        serialNumber: UInt64 = 1,
        isCertificateAuthority: Bool = false
    ) {
        self.commonName = commonName
        self.country = country
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.extendedKeyUsageOIDs = extendedKeyUsageOIDs
        self.serialNumber = serialNumber
        self.isCertificateAuthority = isCertificateAuthority
    }
}
