import FoundationEssentials
import GateCheckCrypto
import SystemCalls

/// The Barcode Signer certificates seals carried lately, each parsed once, with the trusted path found for it.
///
/// Every seal carries its signer's certificate, and parsing it and building its path to a CSCA are each an
/// OpenSSL operation costing about a whole HC1 verification on small boards. A country signs many travellers'
/// seals with one signer, so a gate sees the same few certificates again and again. Entries are keyed by the exact
/// DER, so a cached certificate is the one the seal holds; the cache is bounded and emptied when full. One cache
/// belongs to one verifier, whose CSCAs never change. Certificates are public: nothing personal is kept.
final class SignerCertificateCache: Sendable {
    static let capacity = 64

    private struct Entry {
        let certificate: Certificate
        /// A path found trusted, and the times it stays valid: from the latest notBefore to the earliest notAfter
        /// of its certificates. Inside that window the same anchors give the same path, so it need not be built again.
        var trustedPath: (chain: [Certificate], from: Date, until: Date)?
    }

    private let entries = Locked<[[UInt8]: Entry]>([:])

    func certificate(_ der: [UInt8]) throws(CryptoError) -> Certificate {
        if let hit = entries.withLock({ $0[der]?.certificate }) { return hit }
        let certificate = try Certificate(derEncoded: der)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[der] = Entry(certificate: certificate)
        }
        return certificate
    }

    /// The trusted path found before for `signer`, if `time` lies inside its validity.
    func trustedPath(for signer: Certificate, at time: Date) -> [Certificate]? {
        entries.withLock { entries in
            guard let path = entries[signer.derBytes]?.trustedPath, path.from <= time, time <= path.until else { return nil }
            return path.chain
        }
    }

    /// Remembers a path OpenSSL found trusted for a signer this cache parsed.
    func rememberTrustedPath(_ chain: [Certificate], for signer: Certificate) {
        let certificates = [signer] + chain
        guard let from = certificates.map(\.notBefore).max(), let until = certificates.map(\.notAfter).min() else { return }
        entries.withLock { entries in
            entries[signer.derBytes]?.trustedPath = (chain, from, until)
        }
    }
}
