import CBOR
import FoundationEssentials

/// The CWT claims a DCC carries (RFC 8392): issuer, issued-at, expiry and the health certificate.
public struct CWTClaims: Sendable {
    /// `iss`, usually an ISO 3166 country code, but real issuers also use values like "CH BAG" or "CNAM".
    public let issuer: String?
    public let issuedAt: Date?
    public let expiresAt: Date?
    /// The `hcert` claim's DCC entry (-260 → 1), still as CBOR.
    public let healthCertificate: CBORValue

    private enum Label {
        static let issuer: Int64 = 1
        static let expiresAt: Int64 = 4
        static let issuedAt: Int64 = 6
        static let hcert: Int64 = -260
        static let euDCC: Int64 = 1
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
        guard hcert.mapEntries != nil, let dcc = hcert[Label.euDCC] else {
            throw CredentialError(.badCWT, "hcert claim holds no EU DCC (key 1)")
        }
        self.healthCertificate = dcc
    }

    /// The type the payload declares by its single `v`, `t` or `r` key, whatever the rest of the schema says.
    public var declaredType: CertificateType? {
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
