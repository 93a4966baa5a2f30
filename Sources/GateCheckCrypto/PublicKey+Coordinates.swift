extension PublicKey {
    /// The NIST curves a JSON Web Key may name (RFC 7518 §6.2.1.1), with their field sizes.
    public enum NamedCurve: String, Sendable, Hashable, CaseIterable {
        case p256 = "P-256"
        case p384 = "P-384"
        case p521 = "P-521"

        /// Bytes in one coordinate.
        public var coordinateLength: Int {
            switch self {
            case .p256: 32
            case .p384: 48
            case .p521: 66
            }
        }

        /// The DER of the curve's OBJECT IDENTIFIER.
        fileprivate var objectIdentifierDER: [UInt8] {
            switch self {
            case .p256: [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
            case .p384: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
            case .p521: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23]
            }
        }
    }

    /// An EC public key from its affine coordinates, as JSON Web Keys give them (`crv`, `x`, `y`).
    ///
    /// The coordinates are wrapped as an uncompressed point in a SubjectPublicKeyInfo and parsed by OpenSSL, which
    /// refuses a point that is not on the curve.
    /// - Throws: `.malformedKey` when a coordinate is not exactly the curve's length or the point is not on the curve.
    public convenience init(curve: NamedCurve, x: [UInt8], y: [UInt8]) throws(CryptoError) {
        guard x.count == curve.coordinateLength, y.count == curve.coordinateLength else {
            throw CryptoError(.malformedKey, reason: "\(curve.rawValue) coordinates must be \(curve.coordinateLength) bytes each")
        }
        let ecPublicKey: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
        let algorithm = Self.derSequence(ecPublicKey + curve.objectIdentifierDER)
        let point: [UInt8] = [0x00, 0x04] + x + y  // no unused bits, uncompressed point
        let bitString = [0x03] + Self.derLength(point.count) + point
        try self.init(subjectPublicKeyInfoDER: Self.derSequence(algorithm + bitString))
    }

    private static func derSequence(_ content: [UInt8]) -> [UInt8] {
        [0x30] + derLength(content.count) + content
    }

    /// A DER definite length; SubjectPublicKeyInfos of these curves stay below 65536 bytes.
    private static func derLength(_ length: Int) -> [UInt8] {
        switch length {
        case ..<0x80: [UInt8(length)]
        case ..<0x100: [0x81, UInt8(length)]
        default: [0x82, UInt8(length >> 8), UInt8(length & 0xFF)]
        }
    }
}
