import COpenSSL

/// A private key for the back office and tests: the project's test issuer builds its whole PKI in code with it.
///
/// The verifier on the checkpoint never needs one. Owns its `EVP_PKEY` and frees it in `deinit`; immutable
/// after init, so it may be shared across threads.
public final class PrivateKey: @unchecked Sendable {
    /// Owned `EVP_PKEY` holding the private key.
    let pkey: OpaquePointer

    /// The matching public key (a separate `EVP_PKEY` parsed from this key's SPKI, so it carries no private part).
    public let publicKey: PublicKey

    /// Takes ownership of `pkey` (freed here if init fails).
    private init(taking pkey: OpaquePointer) throws(CryptoError) {
        self.pkey = pkey
        do {
            publicKey = try PublicKey(subjectPublicKeyInfoDER: Self.subjectPublicKeyInfo(of: pkey))
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Generates a fresh EC key on P-256 (`prime256v1`), the ES256 curve.
    public static func generateP256() throws(CryptoError) -> PrivateKey {
        try generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") }
    }

    /// Generates a fresh EC key on P-384 (`secp384r1`); useful to reproduce "P-384 key labelled ES256" cases.
    public static func generateP384() throws(CryptoError) -> PrivateKey {
        try generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-384") }
    }

    /// Generates a fresh EC key on a named curve OpenSSL knows ("P-521", "brainpoolP256r1", ...), for test issuers.
    public static func generateEC(curve: String) throws(CryptoError) -> PrivateKey {
        try generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, curve) }
    }

    /// Generates a fresh RSA key (public exponent 65537).
    ///
    /// Sizes below 2048 are allowed so tests can build keys that PS256 verification must refuse.
    /// - Throws: `.unsupportedKey` unless `bits` is in 1024...8192.
    public static func generateRSA(bits: Int) throws(CryptoError) -> PrivateKey {
        guard (1024...8192).contains(bits) else {
            throw CryptoError(.unsupportedKey, reason: "RSA key size \(bits) outside 1024...8192")
        }
        return try generate(type: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) }
    }

    /// Parses a PKCS#8 `-----BEGIN PRIVATE KEY-----` PEM block, as written by ``pemEncoded()``.
    ///
    /// Encrypted keys are not supported (and can never trigger a passphrase prompt: OpenSSL's PEM reader is
    /// not used).
    /// - Throws: `.malformedKey` when there is not exactly one such block or it does not parse;
    ///   `.trailingData` when bytes follow the key.
    public convenience init(pem: String) throws(CryptoError) {
        let blocks = PEM.derBlocks(in: pem, label: "PRIVATE KEY")
        guard blocks.count == 1 else {
            throw CryptoError(.malformedKey, reason: "expected one PRIVATE KEY PEM block, found \(blocks.count)")
        }
        let pkey = try OpenSSLSupport.decodeDER(
            blocks[0],
            malformed: .malformedKey,
            what: "PKCS#8 private key",
            decode: { cursor, length in d2i_AutoPrivateKey(nil, cursor, length) },
            free: { EVP_PKEY_free($0) }
        )
        try self.init(taking: pkey)
    }

    /// Signs `message` (hashed with SHA-256 here) COSE-style.
    ///
    /// - ES256: the raw `r‖s`, each half padded to the curve's field size (64 bytes for P-256, 96 for P-384).
    ///   SHA-256 is used regardless of the curve, which lets tests reproduce "P-384 key labelled ES256".
    /// - PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    /// - Throws: `.unsupportedKey` when the key type does not fit the algorithm, `.signingFailed` otherwise.
    public func sign(_ message: [UInt8], algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        switch (algorithm, publicKey.kind) {
        case (.es256, .ec):
            let fieldSize = (Int(EVP_PKEY_get_bits(pkey)) + 7) / 8
            let der = try digestSign(message, configure: nil)
            guard let raw = ECDSASignatureEncoding.raw(fromDER: der, fieldSize: fieldSize) else {
                throw OpenSSLSupport.error(.signingFailed, "cannot convert the ECDSA signature to r‖s")
            }
            return raw
        case (.ps256, .rsa):
            return try rsaSign(message, padding: .pss(saltLength: 32))
        case (.ecdsa(let hash, let encoding), .ec):
            let der = try digestSign(message, hash: hash, configure: nil)
            guard encoding == .raw else { return der }
            guard let raw = ECDSASignatureEncoding.raw(fromDER: der, fieldSize: (Int(EVP_PKEY_get_bits(pkey)) + 7) / 8) else {
                throw OpenSSLSupport.error(.signingFailed, "cannot convert the ECDSA signature to r‖s")
            }
            return raw
        default:
            throw CryptoError(.unsupportedKey, reason: "\(algorithm) cannot sign with a \(publicKey.kind) key")
        }
    }

    /// An RSA SHA-256 signature with any padding. Internal: ``sign(_:algorithm:)`` uses it for PS256, and tests
    /// use it (via `@testable import`) to make signatures that PS256 verification must reject.
    func rsaSign(_ message: [UInt8], padding: RSASignaturePadding) throws(CryptoError) -> [UInt8] {
        guard case .rsa = publicKey.kind else {
            throw CryptoError(.unsupportedKey, reason: "RSA signing with a \(publicKey.kind) key")
        }
        return try digestSign(message) { keyContext in
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, padding.opensslPadding) == 1 else { return false }
            guard let saltLength = padding.opensslSaltLength else { return true }
            return EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, saltLength) == 1
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, unencrypted) for back-office tools.
    public func pemEncoded() throws(CryptoError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw OpenSSLSupport.error(.internalFailure, "BIO_new failed")
        }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLSupport.error(.internalFailure, "PEM_write_bio_PrivateKey failed")
        }
        var data: UnsafePointer<CChar>?
        let length = gatecheck_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else {
            throw OpenSSLSupport.error(.internalFailure, "empty PEM output")
        }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    // MARK: - Internals

    /// `EVP_DigestSign` (SHA-256 unless told); `configure` adjusts the borrowed key context (padding etc.) before signing.
    private func digestSign(
        _ message: [UInt8], hash: DigestAlgorithm = .sha256, configure: ((OpaquePointer?) -> Bool)?
    ) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw OpenSSLSupport.error(.internalFailure, "EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?  // owned by `context`
        guard EVP_DigestSignInit(context, &keyContext, hash.messageDigest, nil, pkey) == 1 else {
            throw OpenSSLSupport.error(.signingFailed, "EVP_DigestSignInit failed")
        }
        if let configure, !configure(keyContext) {
            throw OpenSSLSupport.error(.signingFailed, "cannot configure the signature parameters")
        }
        // One-shot signing: ask for the maximum size first, then sign into a buffer of that size.
        var length = 0
        let sizeRC = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context, nil, &length, msg.baseAddress, msg.count)
        }
        guard sizeRC == 1, length > 0 else {
            throw OpenSSLSupport.error(.signingFailed, "EVP_DigestSign (size) failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let rc = signature.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(context, sig.baseAddress, &length, msg.baseAddress, msg.count)
            }
        }
        guard rc == 1, length <= signature.count else {
            throw OpenSSLSupport.error(.signingFailed, "EVP_DigestSign failed")
        }
        return Array(signature.prefix(length))
    }

    /// Generates a key of `type` ("EC"/"RSA"); `configure` sets the curve or size on the keygen context.
    private static func generate(
        type: String, configure: (OpaquePointer?) -> Int32
    ) throws(CryptoError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw OpenSSLSupport.error(.internalFailure, "EVP_PKEY_CTX_new_from_name(\(type)) failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, configure(context) == 1,
            EVP_PKEY_generate(context, &pkey) == 1, let pkey
        else {
            throw OpenSSLSupport.error(.internalFailure, "\(type) key generation failed")
        }
        return try PrivateKey(taking: pkey)
    }

    /// DER SPKI of `pkey` (public part only).
    private static func subjectPublicKeyInfo(of pkey: OpaquePointer) throws(CryptoError) -> [UInt8] {
        guard let der = OpenSSLSupport.encodeDER({ i2d_PUBKEY(pkey, $0) }) else {
            throw OpenSSLSupport.error(.internalFailure, "i2d_PUBKEY failed")
        }
        return der
    }
}
