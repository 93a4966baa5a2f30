import Foundation

/// The inputs every policy sees. Time is an input: nothing in HealthCredentials reads a clock.
public struct VerificationContext: Sendable {
    public var now: Date
    /// Tolerance for clocks that differ between issuer and verifier (applied to iat and sample time).
    public var clockSkew: TimeInterval

    public init(now: Date, clockSkew: TimeInterval = VerificationContext.defaultClockSkew) {
        self.now = now
        self.clockSkew = clockSkew
    }

    public static let defaultClockSkew: TimeInterval = 300
}

/// A decoded credential with the signer that verified it, if any: what policies evaluate.
public struct VerifiedCandidate: Sendable {
    public let message: COSESign1
    public let claims: CWTClaims
    /// Set only when the signature step succeeded.
    public let signer: DocumentSigner?
    /// Set only when the schema step succeeded.
    public let certificate: DigitalCovidCertificate?

    public init(message: COSESign1, claims: CWTClaims, signer: DocumentSigner?, certificate: DigitalCovidCertificate?) {
        self.message = message
        self.claims = claims
        self.signer = signer
        self.certificate = certificate
    }

    /// The certificate type: from the validated certificate, else the single v/t/r key the payload declares.
    public var type: CertificateType? { certificate?.type ?? claims.declaredType }
}
