import GateCheckCrypto
import Synchronization

/// The Barcode Signer certificates seals carried lately, each parsed once.
///
/// Every seal carries its signer's certificate, and parsing it (OpenSSL decodes the certificate and its key) costs
/// several times a whole HC1 verification on small boards. A country signs many travellers' seals with one signer,
/// so a gate sees the same few certificates again and again. Keyed by the exact DER, so a cached certificate is
/// the one the seal holds; bounded, and emptied when full. Certificates are public: nothing personal is kept.
final class SignerCertificateCache: Sendable {
    static let capacity = 64
    private let parsed = Mutex<[[UInt8]: Certificate]>([:])

    func certificate(_ der: [UInt8]) throws(CryptoError) -> Certificate {
        if let hit = parsed.withLock({ $0[der] }) { return hit }
        let certificate = try Certificate(derEncoded: der)
        parsed.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[der] = certificate
        }
        return certificate
    }
}
