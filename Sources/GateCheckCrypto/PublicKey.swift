import COpenSSL

/// A parsed public key (EC or RSA) that verifies COSE ES256/PS256 signatures.
///
/// Immutable after init and therefore safe to share across threads: OpenSSL 3 allows concurrent use of one
/// `EVP_PKEY` for verification because every `verify` call creates its own context. The class owns its
/// `EVP_PKEY` and frees it in `deinit`.
public final class PublicKey: @unchecked Sendable {
    /// Owned `EVP_PKEY`.
    let pkey: OpaquePointer

    /// The key type, determined once at init.
    public let kind: Kind

    /// The DER `SubjectPublicKeyInfo` of this key (the input bytes when parsed from DER).
    public let subjectPublicKeyInfoDER: [UInt8]

    /// Parses a DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: `.inputTooLarge` above 64 KiB, `.malformedKey` if it does not parse, `.trailingData` if bytes
    ///   follow the structure.
    public init(subjectPublicKeyInfoDER der: [UInt8]) throws(CryptoError) {
        let pkey = try OpenSSLSupport.decodeDER(
            der,
            malformed: .malformedKey,
            what: "SubjectPublicKeyInfo",
            decode: { cursor, length in d2i_PUBKEY(nil, cursor, length) },
            free: { EVP_PKEY_free($0) }
        )
        self.pkey = pkey
        self.kind = Self.kind(of: pkey)
        self.subjectPublicKeyInfoDER = der
    }

    /// Takes over one reference to `pkey`, whose SubjectPublicKeyInfo is `der`: a certificate's key, already
    /// decoded by OpenSSL with the certificate (decoding it a second time costs as much as the certificate).
    init(owning pkey: OpaquePointer, subjectPublicKeyInfoDER der: [UInt8]) {
        self.pkey = pkey
        self.kind = Self.kind(of: pkey)
        self.subjectPublicKeyInfoDER = der
    }

    /// Parses PEM text holding exactly one `-----BEGIN PUBLIC KEY-----` block (text around it is ignored).
    ///
    /// - Throws: `.malformedKey` when there is no such block or more than one, otherwise as
    ///   ``init(subjectPublicKeyInfoDER:)``.
    public convenience init(pem: String) throws(CryptoError) {
        let blocks = PEM.derBlocks(in: pem, label: "PUBLIC KEY")
        guard blocks.count == 1 else {
            throw CryptoError(.malformedKey, reason: "expected one PUBLIC KEY PEM block, found \(blocks.count)")
        }
        try self.init(subjectPublicKeyInfoDER: blocks[0])
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// COSE-style verification of `message` (this function hashes with SHA-256 itself).
    ///
    /// - ES256: `signature` is raw `r‖s`, exactly 64 bytes, converted to DER internally; the key must be EC
    ///   `prime256v1`. A P-384 key labelled ES256 is a key mismatch, not a verification attempt.
    /// - PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt length of exactly 32, set explicitly because
    ///   OpenSSL's default ("auto") also accepts other salt lengths; the key must be RSA (or RSA-PSS) of at least
    ///   2048 bits, and the signature exactly as long as the modulus.
    ///
    /// Only `EVP_DigestVerify` returning 1 counts as ``SignatureCheck/valid``; OpenSSL returns −1 for a
    /// signature it cannot decode, which is reported as ``SignatureCheck/malformedSignature``. An RSA-PSS key
    /// whose SPKI parameters forbid SHA-256 or a 32-byte salt is a ``SignatureCheck/keyMismatch``.
    /// The OpenSSL error queue is cleared on every failure. Never traps on any input.
    public func verify(signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> SignatureCheck {
        switch algorithm {
        case .es256:
            guard case .ec(curve: "prime256v1") = kind else { return .keyMismatch }
            guard signature.count == 64, let der = ECDSASignatureEncoding.der(fromRaw: signature) else {
                ERR_clear_error()
                return .malformedSignature
            }
            return digestVerify(signature: der, message: message, pss: false)
        case .ps256:
            guard case .rsa(let bits) = kind, bits >= 2048 else { return .keyMismatch }
            guard signature.count == Int(EVP_PKEY_get_size(pkey)) else { return .malformedSignature }
            return digestVerify(signature: signature, message: message, pss: true)
        case .ecdsa(let hash, let encoding):
            guard case .ec = kind else { return .keyMismatch }
            let der: [UInt8]?
            switch encoding {
            case .der: der = signature.isEmpty || signature.count > 160 ? nil : signature
            case .raw: der = signature.count == 2 * ellipticCurveFieldSize ? ECDSASignatureEncoding.der(fromRaw: signature) : nil
            }
            guard let der else {
                ERR_clear_error()
                return .malformedSignature
            }
            return digestVerify(signature: der, message: message, pss: false, hash: hash)
        }
    }

    /// Bytes of one coordinate of this key's curve (32 for P-256, 66 for P-521); 0 for a key that is not EC.
    var ellipticCurveFieldSize: Int {
        guard case .ec = kind else { return 0 }
        return (Int(EVP_PKEY_get_bits(pkey)) + 7) / 8
    }

    /// One SHA-256 `EVP_DigestVerify` with an OpenSSL-format signature (DER for ECDSA). Internal so tests can
    /// feed OpenSSL inputs that ``verify(signature:for:algorithm:)`` never lets through (it returns −1 for them).
    func digestVerify(signature: [UInt8], message: [UInt8], pss: Bool, hash: DigestAlgorithm = .sha256) -> SignatureCheck {
        guard let context = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return .invalid
        }
        defer { EVP_MD_CTX_free(context) }
        // `keyContext` is owned by `context`.
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, hash.messageDigest, nil, pkey) == 1 else {
            ERR_clear_error()
            return .keyMismatch
        }
        if pss {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, 32) == 1
            else {
                ERR_clear_error()
                return .keyMismatch
            }
        }
        let rc = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        switch rc {
        case 1:
            return .valid
        case 0:
            ERR_clear_error()
            return .invalid
        default:
            ERR_clear_error()
            return .malformedSignature
        }
    }

    /// Derives the ``Kind`` from OpenSSL's view of the key.
    private static func kind(of pkey: OpaquePointer) -> Kind {
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_EC:
            return .ec(curve: curveName(of: pkey))
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS:
            return .rsa(bits: Int(EVP_PKEY_get_bits(pkey)))
        default:
            guard let name = EVP_PKEY_get0_type_name(pkey) else { return .other("unknown") }
            return .other(String(cString: name))
        }
    }

    /// The curve's OpenSSL short name, normalised through its NID so NIST aliases ("P-256") map to "prime256v1".
    private static func curveName(of pkey: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        let ok = buffer.withUnsafeMutableBufferPointer { pointer in
            EVP_PKEY_get_utf8_string_param(
                pkey, OSSL_PKEY_PARAM_GROUP_NAME, pointer.baseAddress, pointer.count, &length)
        }
        guard ok == 1 else {
            ERR_clear_error()
            return "explicit"
        }
        let name = String(
            decoding: buffer.prefix(min(length, buffer.count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var nid = OBJ_sn2nid(name)
        if nid == NID_undef {
            nid = EC_curve_nist2nid(name)
        }
        guard nid != NID_undef, let shortName = OBJ_nid2sn(nid) else { return name }
        return String(cString: shortName)
    }
}
