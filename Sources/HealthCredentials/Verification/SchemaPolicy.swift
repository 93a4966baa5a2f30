/// The DCC payload must meet the schema essentials (see `DCCSchema`).
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
}
