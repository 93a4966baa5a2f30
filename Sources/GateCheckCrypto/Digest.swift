import COpenSSL

/// Message digests.
public enum Digest {
    /// SHA-256 of `bytes` (32 bytes). Used for certificate fingerprints and the DCC `kid` (first 8 bytes).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ sha256(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { sha256(buffer: $0) }
    }

    private static func sha256(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let rc = digest.withUnsafeMutableBufferPointer { out in
            EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, EVP_sha256(), nil)
        }
        // SHA-256 over an in-memory buffer fails only if libcrypto itself is broken (no default provider).
        // There is no safe value to return then, and no input can trigger it.
        precondition(rc == 1 && length == 32, "EVP_Digest(SHA-256) failed: \(OpenSSLSupport.drainErrors())")
        return Array(digest.prefix(32))
    }
}
