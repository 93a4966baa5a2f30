import FoundationEssentials

/// The credential's own time window: iat ≤ now + skew, and now ≤ exp. Both claims are required of an EU DCC; the
/// WHO profiles make `exp` optional (a DVC's validity is its own `vls`/`vle`, checked by ``ContentPolicy``).
public struct TokenValidityPolicy: CredentialPolicy {
    public let step = VerificationStep.tokenValidity

    public init() {}

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        guard let issuedAt = credential.claims.issuedAt else {
            return .failed(CredentialError(.missingIssuedAt, "no iat claim"))
        }
        let expiresAt = credential.claims.expiresAt
        if expiresAt == nil, credential.claims.profile == .euDCC {
            return .failed(CredentialError(.missingExpiry, "no exp claim"))
        }
        if issuedAt > context.now.addingTimeInterval(context.clockSkew) {
            return .failed(CredentialError(.issuedInFuture, "issued at \(issuedAt), after the verification time"))
        }
        if let expiresAt, context.now > expiresAt {
            return .failed(CredentialError(.expired, "expired at \(expiresAt)"))
        }
        return .ok
    }
}
