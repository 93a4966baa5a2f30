/// A decoded credential, the signer that verified it and the certificate the schema step produced, if any:
/// what policies evaluate.
public struct DecodedCredential: Sendable {
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
