/// The EU DCC payload (`hcert` → 1) after schema validation: version, holder and one entry.
public struct DigitalCovidCertificate: Sendable, Hashable {
    public let version: String
    public let holder: Holder
    public let entry: CertificateEntry
    /// The unique certificate identifier (`ci`, the UVCI) that revocation lists name.
    public let certificateIdentifier: String

    public var type: CertificateType { entry.type }

    /// The SNOMED code for "not detected", the only passing test result.
    public static let testResultNotDetected = "260415000"
}
