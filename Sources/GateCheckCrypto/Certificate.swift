import COpenSSL
import FoundationEssentials

/// A parsed X.509 certificate, reduced to what a DCC verifier needs: key, validity, EKU and subject.
///
/// Parsing is deliberately lenient in the ways real Document Signer Certificates need (OpenSSL 3 accepts
/// explicit DEFAULT values, empty EKU sequences, RSA-PSS and SHA-1 signature algorithms) and strict where
/// ambiguity would be dangerous: no trailing bytes, a size cap, and a malformed EKU is an error rather than
/// "no restriction". Every field is extracted once at init, so the object is immutable and thread-safe.
/// The certificate's own signature is not checked here.
public final class Certificate: @unchecked Sendable {
    /// Largest accepted encoding; real DSCs are 0.5–3 KiB.
    public static let maxEncodedSize = OpenSSLSupport.maxDERInputSize

    /// Owned `X509`.
    let x509: OpaquePointer

    /// The exact bytes the certificate was parsed from (the DCC `kid` is computed over these).
    public let derBytes: [UInt8]
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date
    /// The subject public key.
    public let publicKey: PublicKey
    /// Dotted OIDs of the extended key usage extension, in certificate order.
    ///
    /// `nil` when the extension is absent; `[]` when it is present but empty (some real DSCs have that).
    /// A present-but-undecodable or duplicated EKU extension makes init throw instead, because reading it as
    /// "absent" would turn a restricted certificate into an unrestricted one.
    public let extendedKeyUsageOIDs: [String]?
    /// The first subject `CN`, as UTF-8 (invalid sequences repaired), or nil if there is none.
    public let subjectCommonName: String?
    /// The first subject `C`, or nil if there is none. Not validated as an ISO 3166 code.
    public let subjectCountry: String?
    /// SHA-256 over ``derBytes``.
    public let sha256Fingerprint: [UInt8]

    /// Parses one DER certificate.
    ///
    /// - Throws: `.inputTooLarge` above ``maxEncodedSize`` bytes (checked first), `.malformedCertificate` if it
    ///   does not parse or its dates or EKU are malformed, `.trailingData` if bytes follow it, `.unsupportedKey`
    ///   if OpenSSL cannot load its public key.
    public init(derEncoded der: [UInt8]) throws(CryptoError) {
        let x509 = try OpenSSLSupport.decodeDER(
            der,
            malformed: .malformedCertificate,
            what: "certificate",
            decode: { cursor, length in d2i_X509(nil, cursor, length) },
            free: { X509_free($0) }
        )
        do {
            notBefore = try Self.date(X509_get0_notBefore(x509), field: "notBefore")
            notAfter = try Self.date(X509_get0_notAfter(x509), field: "notAfter")
            extendedKeyUsageOIDs = try Self.extendedKeyUsage(of: x509)
            publicKey = try Self.publicKey(of: x509)
        } catch {
            X509_free(x509)
            throw error
        }
        let subject = X509_get_subject_name(x509)
        subjectCommonName = Self.firstEntry(NID_commonName, in: subject)
        subjectCountry = Self.firstEntry(NID_countryName, in: subject)
        derBytes = der
        sha256Fingerprint = Digest.sha256(der)
        self.x509 = x509
    }

    deinit {
        X509_free(x509)
    }

    // MARK: - Field extraction

    /// Converts an ASN.1 UTCTime/GeneralizedTime to a `Date` (UTC).
    static func date(_ time: UnsafePointer<ASN1_TIME>?, field: String) throws(CryptoError) -> Date {
        var components = tm()
        guard let time, ASN1_TIME_to_tm(time, &components) == 1 else {
            throw OpenSSLSupport.error(.malformedCertificate, "unreadable \(field)")
        }
        let seconds = timegm(&components)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Reads the EKU extension, distinguishing "absent" from "malformed" through `X509_get_ext_d2i`'s
    /// `crit` out-parameter (−1 absent, −2 duplicated, ≥ 0 present).
    private static func extendedKeyUsage(of x509: OpaquePointer) throws(CryptoError) -> [String]? {
        var critical: Int32 = 0
        guard let decoded = X509_get_ext_d2i(x509, NID_ext_key_usage, &critical, nil) else {
            if critical == -1 {
                ERR_clear_error()
                return nil
            }
            throw OpenSSLSupport.error(
                .malformedCertificate,
                critical == -2 ? "duplicate extended key usage extensions" : "undecodable extended key usage")
        }
        let stack = OpaquePointer(decoded)  // EXTENDED_KEY_USAGE == STACK_OF(ASN1_OBJECT), owned here
        defer { gatecheck_sk_ASN1_OBJECT_pop_free(stack) }
        var oids: [String] = []
        for index in 0..<max(0, gatecheck_sk_ASN1_OBJECT_num(stack)) {
            guard let object = gatecheck_sk_ASN1_OBJECT_value(stack, index), let oid = OIDText.dotted(object)
            else {
                throw OpenSSLSupport.error(.malformedCertificate, "unprintable extended key usage OID")
            }
            oids.append(oid)
        }
        return oids
    }

    /// The subject key; a key OpenSSL cannot load (unknown algorithm, bad point) is `.unsupportedKey`.
    private static func publicKey(of x509: OpaquePointer) throws(CryptoError) -> PublicKey {
        // Borrowed from the certificate.
        guard let spki = X509_get_X509_PUBKEY(x509) else {
            throw OpenSSLSupport.error(.malformedCertificate, "no subject public key")
        }
        guard let der = OpenSSLSupport.encodeDER({ i2d_X509_PUBKEY(spki, $0) }) else {
            throw OpenSSLSupport.error(.malformedCertificate, "cannot encode the subject public key")
        }
        // A new reference to the key OpenSSL decoded with the certificate.
        guard let pkey = X509_get_pubkey(x509) else {
            throw OpenSSLSupport.error(.unsupportedKey, "subject public key: OpenSSL cannot load it")
        }
        return PublicKey(owning: pkey, subjectPublicKeyInfoDER: der)
    }

    /// The first name entry with `nid`, converted to UTF-8; nil when absent or unconvertible.
    private static func firstEntry(_ nid: Int32, in name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, nid, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
            let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else {
            ERR_clear_error()
            return nil
        }
        defer { gatecheck_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }
}
