import TrustSources

/// The sections a trust bundle may hold, and how large each may be.
public enum BundleSection: String, Sendable, CaseIterable, Hashable {
    /// JSON: format, sequence, issuedAt, notAfter, producer and the hash of every other section.
    case manifest
    /// Detached CMS SignedData over the manifest section, with the signer's certificate and chain.
    case signature
    /// JSON: the Document Signer Certificates with kid and country.
    case signers
    /// Sorted 16-byte truncated SHA-256 hashes of revoked UCIs.
    case revokedUCI = "revoked-uci"
    /// Sorted 16-byte hashes of issuing country + UCI.
    case revokedCountryUCI = "revoked-country-uci"
    /// Sorted 16-byte hashes of the signature (ECDSA: r only).
    case revokedSignature = "revoked-signature"
    /// In a delta bundle, instead of each table above: the entries added since the base (`+`) and removed
    /// since it (`-`), each sorted 16-byte entries like the full table.
    case revokedUCIAdded = "revoked-uci+"
    case revokedUCIRemoved = "revoked-uci-"
    case revokedCountryUCIAdded = "revoked-country-uci+"
    case revokedCountryUCIRemoved = "revoked-country-uci-"
    case revokedSignatureAdded = "revoked-signature+"
    case revokedSignatureRemoved = "revoked-signature-"
    /// JSON: the EU value sets (`{name: [codes]}`) that admission rules look codes up in.
    case valueSets = "value-sets"
    /// JSON: an array of admission rules in the EU gateway's format, validated again on import.
    case rules
    /// JSON: SMART Health Card issuers with their keys and rid revocation lists (from a VCI snapshot).
    case shcIssuers = "shc-issuers"
    /// JSON: ICAO CSCAs and their CRLs (from master lists), for VDS-NC seals.
    case icaoTrust = "icao-trust"
    /// JSON: DID documents of credential issuers (NZCP's did:web).
    case didIssuers = "did-issuers"

    /// The hard cap for this section's length, checked before it is read.
    public var maximumLength: Int {
        switch self {
        case .manifest: 1 << 20
        case .signature: 64 << 10
        case .signers, .valueSets, .rules, .shcIssuers, .icaoTrust, .didIssuers: 64 << 20
        case .revokedUCI, .revokedCountryUCI, .revokedSignature: 256 << 20  // 16.7 million entries each
        // A delta may undo or replace a whole table.
        case .revokedUCIAdded, .revokedUCIRemoved, .revokedCountryUCIAdded, .revokedCountryUCIRemoved,
             .revokedSignatureAdded, .revokedSignatureRemoved: 256 << 20
        }
    }

    /// The section holding `framework`'s keys; HCERT signers have the `signers` section.
    static func section(for framework: CredentialTrust.Framework) -> BundleSection {
        switch framework {
        case .hcert: .signers
        case .shc: .shcIssuers
        case .icao: .icaoTrust
        case .did: .didIssuers
        }
    }

    /// The revocation tables, each a sorted array of 16-byte entries.
    public static let revocationTables: [BundleSection] = [.revokedUCI, .revokedCountryUCI, .revokedSignature]

    /// A delta bundle's two tables standing for this full table: entries added and removed since the base.
    public var deltaTables: (added: BundleSection, removed: BundleSection)? {
        switch self {
        case .revokedUCI: (.revokedUCIAdded, .revokedUCIRemoved)
        case .revokedCountryUCI: (.revokedCountryUCIAdded, .revokedCountryUCIRemoved)
        case .revokedSignature: (.revokedSignatureAdded, .revokedSignatureRemoved)
        default: nil
        }
    }

    /// The sections of a delta bundle that stand for the full tables, in bundle order.
    public static let deltaRevocationTables: [BundleSection] = revocationTables.flatMap { [$0.deltaTables!.added, $0.deltaTables!.removed] }
}
