import FoundationEssentials
import GateCheckCrypto

/// A Document Signer Certificate (DSC) that may sign credentials, indexed by its kid.
///
/// Only what verification needs is kept: key, validity and extended key usage, all parsed once
/// at load time so that a verification costs no certificate parsing.
public struct DocumentSigner: Sendable {
    public let kid: [UInt8]
    /// The country the trust source files it under (or the certificate's subject C=).
    public let country: String?
    public let certificate: Certificate

    public var publicKey: PublicKey { certificate.publicKey }
    public var notBefore: Date { certificate.notBefore }
    public var notAfter: Date { certificate.notAfter }

    /// A signer under an explicit kid (trust lists publish one per certificate).
    public init(certificate: Certificate, kid: [UInt8], country: String? = nil) {
        self.certificate = certificate
        self.kid = kid
        self.country = country ?? certificate.subjectCountry
    }

    /// A signer under the DCC kid rule: the first 8 bytes of SHA-256 over the certificate's DER.
    public init(certificate: Certificate, country: String? = nil) {
        self.init(certificate: certificate, kid: Self.kid(for: certificate), country: country)
    }

    /// A signer from a trust list entry that carries its kid and DER certificate in base64, as the
    /// German, EU gateway and GateCheck bundle lists all do. `entry` names the entry in errors.
    public init(base64Kid: String, base64Certificate: String, country: String?, entry: Int) throws(CredentialError) {
        guard let kid = Data(base64Encoded: base64Kid), let der = Data(base64Encoded: base64Certificate) else {
            throw CredentialError(.badTrustList, "entry \(entry): kid or certificate is not base64")
        }
        do {
            self.init(certificate: try Certificate(derEncoded: Array(der)), kid: Array(kid), country: country)
        } catch {
            throw CredentialError(.badTrustList, "entry \(entry): certificate does not parse (\(error.code))")
        }
    }

    public static func kid(for certificate: Certificate) -> [UInt8] {
        Array(certificate.sha256Fingerprint.prefix(COSESign1.kidLength))
    }
}
