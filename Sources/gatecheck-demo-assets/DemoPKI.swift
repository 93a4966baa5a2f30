import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting

/// The demo's keys and certificates, all made fresh in memory on every run. No private key is
/// written anywhere: the committed folder holds only certificates, a signed bundle and frames.
struct DemoPKI {
    /// Demo country code, as the test issuer uses it: no real state issues under "XX".
    static let country = "XX"
    /// Every demo certificate covers the expired credential's issuance (2024) and runs well past
    /// the bundle's notAfter (2036-01-01), so the demo keeps working for years.
    static let validFrom = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01T00:00:00Z
    static let validUntil = Date(timeIntervalSince1970: 2_208_988_800)  // 2040-01-01T00:00:00Z

    static let anchorName = "GateCheck DEMO trust anchor - NOT FOR PRODUCTION"
    static let bundleSignerName = "GateCheck DEMO bundle signer - NOT FOR PRODUCTION"
    static let documentSignerName = "GateCheck DEMO DSC"
    static let strangerSignerName = "GateCheck DEMO DSC - not in the bundle"

    /// The CA a device pins in its anchors folder; it only ever signs the bundle signer.
    let anchor: TestCertificateAuthority
    let bundleSigningKey: PrivateKey
    let bundleSigningCertificate: Certificate
    /// The DSC in the bundle: signs every credential that should get as far as its own checks.
    let documentSigner: TestIssuer
    /// A DSC the bundle does not list, for the unknown-signer frame.
    let strangerSigner: TestIssuer
    /// A SMART Health Card issuer the bundle lists, for the SMART Health Card frame.
    let healthCardIssuer: SHCTestIssuer

    init() throws {
        anchor = try TestCertificateAuthority(
            commonName: Self.anchorName, country: Self.country, notBefore: Self.validFrom, notAfter: Self.validUntil)
        (bundleSigningKey, bundleSigningCertificate) = try anchor.issueSigner(
            commonName: Self.bundleSignerName, notBefore: Self.validFrom, notAfter: Self.validUntil)
        documentSigner = try Self.makeDocumentSigner(commonName: Self.documentSignerName)
        strangerSigner = try Self.makeDocumentSigner(commonName: Self.strangerSignerName)
        healthCardIssuer = try SHCTestIssuer(iss: Self.healthCardIssuerURL)
    }

    /// Under the reserved `.test` top-level domain: no real issuer can have it.
    static let healthCardIssuerURL = "https://demo.gatecheck.test/shc"

    /// A self-signed ES256 DSC (as `TestIssuer` makes them) under a DEMO name, with the DCC key
    /// usages for every certificate type so the key-usage policy runs and passes.
    private static func makeDocumentSigner(commonName: String) throws -> TestIssuer {
        let key = try PrivateKey.generateP256()
        let template = CertificateTemplate(
            commonName: commonName, country: country, notBefore: validFrom, notAfter: validUntil,
            extendedKeyUsageOIDs: TestIssuer.keyUsageOIDs(for: CertificateType.allCases))
        let certificate = try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key)
        return TestIssuer(key: key, certificate: certificate, algorithm: .es256)
    }
}
