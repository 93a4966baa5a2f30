import COpenSSL

/// RSA signature paddings for ``PrivateKey/rsaSign(_:padding:)``, a module-internal hook that lets tests
/// produce signatures PS256 verification must reject (wrong salt length, PKCS#1 v1.5).
enum RSASignaturePadding: Sendable, Hashable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case pkcs1v15
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and the given salt length in bytes (32 is PS256).
    case pss(saltLength: Int)
    /// RSASSA-PSS with the largest salt that fits the modulus (what OpenSSL's "auto" verification accepts).
    case pssMaximumSalt

    var opensslPadding: Int32 {
        switch self {
        case .pkcs1v15: RSA_PKCS1_PADDING
        case .pss, .pssMaximumSalt: RSA_PKCS1_PSS_PADDING
        }
    }

    var opensslSaltLength: Int32? {
        switch self {
        case .pkcs1v15: nil
        case .pss(let length): Int32(clamping: length)
        case .pssMaximumSalt: RSA_PSS_SALTLEN_MAX
        }
    }
}
