import COpenSSL

/// Conversion between COSE/JOSE raw `r‖s` ECDSA signatures and the DER `ECDSA-Sig-Value` OpenSSL expects.
enum ECDSASignatureEncoding {
    /// DER encoding of the raw signature `r‖s` (two equal halves), or nil if OpenSSL cannot build it.
    ///
    /// Any 2·n bytes produce a syntactically valid DER value (r or s may be 0 or ≥ the group order);
    /// rejecting those is the verifier's job, which OpenSSL does.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard !raw.isEmpty, raw.count % 2 == 0 else { return nil }
        let half = Int32(raw.count / 2)
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let halves: (r: OpaquePointer?, s: OpaquePointer?) = raw.withUnsafeBufferPointer { buffer in
            (BN_bin2bn(buffer.baseAddress, half, nil), BN_bin2bn(buffer.baseAddress! + Int(half), half, nil))
        }
        guard let r = halves.r, let s = halves.s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            // ECDSA_SIG_set0 takes ownership of r and s only when it succeeds.
            BN_free(halves.r)
            BN_free(halves.s)
            return nil
        }
        return OpenSSLSupport.encodeDER { i2d_ECDSA_SIG(signature, $0) }
    }

    /// Raw `r‖s`, each half left-padded to `fieldSize` bytes, from a DER `ECDSA-Sig-Value`.
    static func raw(fromDER der: [UInt8], fieldSize: Int) -> [UInt8]? {
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature = decoded else { return nil }
        defer { ECDSA_SIG_free(signature) }
        // Borrowed from `signature`.
        guard let r = ECDSA_SIG_get0_r(signature), let s = ECDSA_SIG_get0_s(signature) else { return nil }
        var raw = [UInt8](repeating: 0, count: 2 * fieldSize)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, Int32(fieldSize)) == Int32(fieldSize)
                && BN_bn2binpad(s, buffer.baseAddress! + fieldSize, Int32(fieldSize)) == Int32(fieldSize)
        }
        return ok ? raw : nil
    }
}
