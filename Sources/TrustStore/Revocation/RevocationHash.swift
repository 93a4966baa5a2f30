import GateCheckCrypto

/// The revocation hashes of the EU DCC gateway (DCCG): the first 16 bytes of SHA-256 over one
/// of three inputs. A list says which kind it holds; a verifier checks a credential under each.
public enum RevocationHash {
    /// Truncated length, as the gateway publishes it.
    public static let length = 16

    /// Hash of the UCI (certificate identifier) as UTF-8.
    public static func uci(_ uci: String) -> [UInt8] {
        truncatedSHA256(Array(uci.utf8))
    }

    /// Hash of the two-letter country code followed directly by the UCI, both UTF-8, no separator.
    /// Which country (the CWT `iss` or the certificate's `co`) is the list's decision, not ours.
    public static func countryCodeUCI(country: String, uci: String) -> [UInt8] {
        truncatedSHA256(Array(country.utf8) + Array(uci.utf8))
    }

    /// Hash of the COSE signature. For ECDSA only the r half of the raw r‖s counts, as the gateway
    /// defines it, so that re-encoding s (e.g. low-s normalisation) cannot dodge a revocation.
    public static func signature(_ signature: [UInt8], algorithmIsECDSA: Bool) -> [UInt8] {
        truncatedSHA256(algorithmIsECDSA ? signature[..<(signature.count / 2)] : signature[...])
    }

    private static func truncatedSHA256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array(Digest.sha256(bytes).prefix(length))
    }
}
