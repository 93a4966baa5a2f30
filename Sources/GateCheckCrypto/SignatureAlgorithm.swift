/// The signature algorithms GateCheck verifies.
///
/// Deliberately closed: each credential format maps its own algorithm names onto these, and refuses anything else
/// before it reaches this module.
public enum SignatureAlgorithm: Sendable, Hashable {
    /// COSE -7 / JOSE ES256: ECDSA over P-256 with SHA-256; signature is raw `r‖s` (64 bytes).
    case es256
    /// COSE -37: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; RSA key of at least 2048 bits.
    case ps256
    /// ECDSA on whatever curve the key has (named, explicit or brainpool, as OpenSSL loads it) with `hash`. A raw
    /// signature is `r‖s` with each half the curve's field size; DER is an `ECDSA-Sig-Value`. ICAO seals use raw
    /// ES256/ES384/ES512, and the VCI directory signs its snapshot with DER P-521/SHA-512.
    case ecdsa(hash: DigestAlgorithm, encoding: ECDSASignatureFormat)
}

/// How an ECDSA signature is written.
public enum ECDSASignatureFormat: Sendable, Hashable {
    /// `r‖s`, each half left-padded to the curve's field size (JOSE, COSE, ICAO).
    case raw
    /// A DER `ECDSA-Sig-Value` (OpenSSL's own form, `openssl dgst -sign`).
    case der
}
