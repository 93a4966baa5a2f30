import FoundationEssentials

/// A WHO HCERT credential (a DVC, a DDCC:VS or a DDCC:TR) after its schema step: what the checks after it need.
public struct WHOCertificate: Sendable, Hashable {
    public let profile: CredentialProfile
    public let holder: Holder
    /// A DVC and a DDCC:VS are vaccinations, a DDCC:TR a test.
    public let type: CertificateType
    /// The first day the certificate is valid (DVC `v.vls`, DDCC `certificate.period.start`), at 00:00 UTC.
    public let validFrom: Date?
    /// The last day the certificate is valid (DVC `v.vle`, DDCC `certificate.period.end`), at 00:00 UTC: it is
    /// valid to that day's end.
    public let validUntil: Date?

    public init(profile: CredentialProfile, holder: Holder, type: CertificateType, validFrom: Date?, validUntil: Date?) {
        self.profile = profile
        self.holder = holder
        self.type = type
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
