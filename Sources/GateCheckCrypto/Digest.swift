import COpenSSL

/// The hash functions signatures and fingerprints use.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// OpenSSL's static method table for this hash (never freed).
    var messageDigest: OpaquePointer? {
        switch self {
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

    public var length: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }
}

/// Message digests.
public enum Digest {
    /// SHA-256 of `bytes` (32 bytes). Used for certificate fingerprints and the DCC `kid` (first 8 bytes).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        hash(bytes, with: .sha256)
    }

    /// `algorithm` over `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>, with algorithm: DigestAlgorithm) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0), algorithm) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash(buffer: $0, algorithm) }
    }

    private static func hash(buffer: UnsafeRawBufferPointer, _ algorithm: DigestAlgorithm) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let rc = digest.withUnsafeMutableBufferPointer { out in
            EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, algorithm.messageDigest, nil)
        }
        // Hashing an in-memory buffer fails only if libcrypto itself is broken (no default provider).
        // There is no safe value to return then, and no input can trigger it.
        precondition(rc == 1 && Int(length) == algorithm.length, "EVP_Digest(\(algorithm.rawValue)) failed: \(OpenSSLSupport.drainErrors())")
        return Array(digest.prefix(algorithm.length))
    }
}
