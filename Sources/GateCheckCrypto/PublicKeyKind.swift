extension PublicKey {
    /// What kind of key this is, as far as algorithm selection cares.
    public enum Kind: Sendable, Hashable {
        /// An elliptic-curve key on the named curve (OpenSSL short name, e.g. `"prime256v1"`, `"secp384r1"`,
        /// `"brainpoolP256r1"`). Keys with explicit curve parameters that match no named curve report `"explicit"`.
        case ec(curve: String)
        /// An RSA key (`rsaEncryption` or `id-RSASSA-PSS` SPKI) with the given modulus size.
        case rsa(bits: Int)
        /// Any other key type, by OpenSSL's type name (e.g. `"ED25519"`).
        case other(String)
    }
}
