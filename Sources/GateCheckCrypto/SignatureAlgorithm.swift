/// The COSE signature algorithms an EU DCC may use (the spec says verifiers must implement both).
///
/// Deliberately closed: anything else in a COSE header is rejected before it reaches this module.
public enum SignatureAlgorithm: Sendable, Hashable {
    /// COSE -7: ECDSA over P-256 with SHA-256; signature is raw `r‖s` (64 bytes).
    case es256
    /// COSE -37: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; RSA key of at least 2048 bits.
    case ps256
}
