/// A decoded credential, the signer that verified it and the certificate the schema step produced, if any:
/// what policies evaluate.
public struct DecodedCredential: Sendable {
    public let message: COSESign1
    public let claims: CWTClaims
    /// Set only when the signature step succeeded.
    public let signer: DocumentSigner?
    /// Set only when the schema step succeeded on an EU DCC.
    public let certificate: DigitalCovidCertificate?
    /// Set only when the schema step succeeded on a WHO profile (DVC, DDCC:VS, DDCC:TR).
    public let whoCertificate: WHOCertificate?

    public init(
        message: COSESign1, claims: CWTClaims, signer: DocumentSigner?, certificate: DigitalCovidCertificate?, whoCertificate: WHOCertificate? = nil
    ) {
        self.message = message
        self.claims = claims
        self.signer = signer
        self.certificate = certificate
        self.whoCertificate = whoCertificate
    }

    /// The certificate type: from the validated certificate, else what the payload declares (the single v/t/r key of
    /// an EU DCC, or the WHO profile).
    public var type: CertificateType? { certificate?.type ?? whoCertificate?.type ?? claims.declaredType }
}
