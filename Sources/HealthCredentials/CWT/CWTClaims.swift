import CBOR
import FoundationEssentials

/// The CWT claims an HCERT carries (RFC 8392): issuer, issued-at, expiry and the health certificate.
///
/// The `hcert` claim (−260) names its profile by key: 1 is an EU DCC, −6 a WHO DVC, 3 a WHO DDCC:VS and 4 a
/// WHO DDCC:TR. An EU DCC entry wins over any WHO entry beside it (what every EU verifier reads); without one,
/// exactly one WHO entry must be present, since two would leave the credential's meaning ambiguous.
public struct CWTClaims: Sendable {
    /// `iss`, usually an ISO 3166 country code, but real issuers also use values like "CH BAG" or "CNAM".
    public let issuer: String?
    public let issuedAt: Date?
    public let expiresAt: Date?
    /// The `hcert` claim's entry for `profile` (−260 → 1 for an EU DCC), still as CBOR.
    public let healthCertificate: CBORValue
    /// Which entry of the `hcert` claim `healthCertificate` is.
    public let profile: CredentialProfile

    private enum Label {
        static let issuer: Int64 = 1
        static let expiresAt: Int64 = 4
        static let issuedAt: Int64 = 6
        static let hcert: Int64 = -260
        static let euDCC: Int64 = 1
        static let smartHealthLink: Int64 = 5
        /// The WHO profiles' keys, in the order ambiguity is reported.
        static let whoProfiles: [(key: Int64, profile: CredentialProfile)] = [(-6, .whoDVC), (3, .whoDDCCVS), (4, .whoDDCCTR)]
    }

    public init(decoding bytes: [UInt8]) throws(CredentialError) {
        let claims: CBORValue
        do {
            claims = try CBORParser.decode(bytes, limits: COSESign1.limits)
        } catch {
            throw CredentialError(.badCBOR, "CWT claims: \(error)")
        }
        guard claims.mapEntries != nil else { throw CredentialError(.badCWT, "CWT claims are not a map") }

        if let issuer = claims[Label.issuer] {
            guard let text = issuer.string else { throw CredentialError(.badCWT, "iss is not a text string") }
            self.issuer = text
        } else {
            self.issuer = nil
        }
        self.issuedAt = try Self.date(claims[Label.issuedAt], name: "iat")
        self.expiresAt = try Self.date(claims[Label.expiresAt], name: "exp")

        guard let hcert = claims[Label.hcert] else { throw CredentialError(.badCWT, "no hcert claim (-260)") }
        guard hcert.mapEntries != nil else { throw CredentialError(.badCWT, "hcert claim holds no EU DCC (key 1)") }
        if let dcc = hcert[Label.euDCC] {
            self.healthCertificate = dcc
            self.profile = .euDCC
            return
        }
        let who = Label.whoProfiles.compactMap { entry in hcert[entry.key].map { (entry.profile, $0) } }
        guard let (profile, entry) = who.first else {
            let detail = hcert[Label.smartHealthLink] != nil
                ? "hcert claim holds a SMART Health Link (key 5), which is not supported"
                : "hcert claim holds no EU DCC (key 1) nor a WHO DVC (-6), DDCC:VS (3) or DDCC:TR (4)"
            throw CredentialError(.badCWT, detail)
        }
        guard who.count == 1 else {
            throw CredentialError(.badCWT, "hcert claim holds several WHO entries (\(who.map(\.0.rawValue).joined(separator: ", "))), which is ambiguous")
        }
        self.healthCertificate = entry
        self.profile = profile
    }

    /// The type the payload declares: for an EU DCC by its single `v`, `t` or `r` key, whatever the rest of the
    /// schema says; for WHO profiles by the profile (a DVC and a DDCC:VS are vaccinations, a DDCC:TR a test).
    public var declaredType: CertificateType? {
        switch profile {
        case .euDCC: break
        case .whoDVC, .whoDDCCVS: return .vaccination
        case .whoDDCCTR: return .test
        }
        let present = CertificateType.allCases.filter { type in
            healthCertificate[type.rawValue].map { !$0.isNull } ?? false
        }
        return present.count == 1 ? present[0] : nil
    }

    /// NumericDate: integer seconds (floats are allowed by RFC 8392 and appear in the wild).
    private static func date(_ value: CBORValue?, name: String) throws(CredentialError) -> Date? {
        guard let value else { return nil }
        let seconds: Double
        switch value.content {
        case .unsigned, .negative:
            guard let integer = value.int64 else { throw CredentialError(.badCWT, "\(name) is out of range") }
            seconds = Double(integer)
        case .float(let double) where double.isFinite:
            seconds = double
        default:
            throw CredentialError(.badCWT, "\(name) is not a number")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
