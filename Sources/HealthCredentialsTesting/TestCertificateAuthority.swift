import Foundation
import GateCheckCrypto

/// A certificate authority made in code, for the PKI that signs trust bundles in tests:
/// a self-signed CA and the signing certificates it issues.
public struct TestCertificateAuthority: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate

    public static let defaultNotBefore = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
    public static let defaultNotAfter = Date(timeIntervalSince1970: 2_208_988_800)  // 2040-01-01

    public init(commonName: String, country: String = "XX", notBefore: Date = defaultNotBefore, notAfter: Date = defaultNotAfter) throws {
        key = try PrivateKey.generateP256()
        certificate = try Certificate.issue(
            CertificateTemplate(commonName: commonName, country: country, notBefore: notBefore, notAfter: notAfter,
                                serialNumber: 1, isCertificateAuthority: true),
            subjectKey: key.publicKey, issuerKey: key)
    }

    /// A P-256 end-entity certificate (e.g. a bundle signer) issued by this CA.
    public func issueSigner(
        commonName: String, notBefore: Date = defaultNotBefore, notAfter: Date = defaultNotAfter, serialNumber: UInt64 = 2
    ) throws -> (key: PrivateKey, certificate: Certificate) {
        let signerKey = try PrivateKey.generateP256()
        let signer = try Certificate.issue(
            CertificateTemplate(commonName: commonName, country: certificate.subjectCountry ?? "XX", notBefore: notBefore,
                                notAfter: notAfter, serialNumber: serialNumber),
            subjectKey: signerKey.publicKey, issuerKey: key, issuer: certificate)
        return (signerKey, signer)
    }

    /// A certificate as PEM, for files handed to the CLI.
    public static func pem(_ certificate: Certificate) -> String {
        PEM.encode(certificate.derBytes, label: "CERTIFICATE")
    }
}
