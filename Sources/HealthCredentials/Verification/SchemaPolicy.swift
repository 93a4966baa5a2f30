/// The payload must meet its profile's schema essentials: `DCCSchema` for an EU DCC, `WHOSchema` for the WHO
/// profiles.
public struct SchemaPolicy: Sendable {
    public let step = VerificationStep.schema

    public init() {}

    public func certificate(from claims: CWTClaims, in context: VerificationContext) -> Result<DigitalCovidCertificate, CredentialError> {
        do {
            return .success(try DCCSchema.validate(claims.healthCertificate, at: context.now))
        } catch {
            return .failure(error)
        }
    }

    /// The WHO profiles' schema step (a DVC, DDCC:VS or DDCC:TR entry).
    public func whoCertificate(from claims: CWTClaims, in context: VerificationContext) -> Result<WHOCertificate, CredentialError> {
        do {
            return .success(try WHOSchema.validate(claims.healthCertificate, profile: claims.profile))
        } catch {
            return .failure(error)
        }
    }
}
