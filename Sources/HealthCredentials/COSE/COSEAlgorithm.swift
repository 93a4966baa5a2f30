import GateCheckCrypto

/// The COSE algorithms a DCC may use (RFC 9053 identifiers). Nothing else is accepted.
public enum COSEAlgorithm: Int64, Sendable, Hashable, CustomStringConvertible {
    case es256 = -7
    case ps256 = -37

    var signatureAlgorithm: SignatureAlgorithm {
        switch self {
        case .es256: .es256
        case .ps256: .ps256
        }
    }

    public var description: String {
        switch self {
        case .es256: "ES256"
        case .ps256: "PS256"
        }
    }
}
