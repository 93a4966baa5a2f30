import Foundation

/// The fields of a certificate to issue with ``Certificate/issue(_:subjectKey:issuerKey:issuer:)``.
///
/// Only what the project's test issuer and back-office tools need: a subject of `C` + `CN`, validity,
/// optional EKU and a serial number. No other extensions are added.
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

    /// Creates a template; without EKU OIDs the certificate has no EKU extension.
    public init(
        commonName: String,
        country: String,
        notBefore: Date,
        notAfter: Date,
        extendedKeyUsageOIDs: [String]? = nil,
        serialNumber: UInt64 = 1
    ) {
        self.commonName = commonName
        self.country = country
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.extendedKeyUsageOIDs = extendedKeyUsageOIDs
        self.serialNumber = serialNumber
    }
}
