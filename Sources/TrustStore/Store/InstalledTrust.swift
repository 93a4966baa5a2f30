import FoundationEssentials
import GateCheckCrypto
import AdmissionRules
import HealthCredentials
import TrustSources

/// The trust a device has installed: every framework's keys for the verifiers, memory-mapped revocation tables,
/// and the manifest's times for staleness. With a delta installed on its base, everything but the full
/// revocation tables comes from the delta, and the tables are the base's corrected by the delta's.
public final class InstalledTrust: RevocationChecking, @unchecked Sendable {
    /// The bundle in use: the delta when one applies, else the base. Signers, rules, value sets and dates come from it.
    public let bundle: VerifiedBundle
    /// The full bundle (`trust.bundle`).
    public let base: VerifiedBundle
    /// The delta applied on `base` (`trust.delta`), if any.
    public let delta: VerifiedBundle?
    /// Why a `trust.delta` present was left out (it names another base), for a warning; nil when none was.
    public let ignoredDelta: String?
    public let trust: CredentialTrust
    /// The base's full tables and the delta's added and removed tables, each mapped from its own file.
    private let tables: [BundleSection: RevocationTable]

    /// A mapped file the bundle was verified from.
    struct Source {
        let bundle: VerifiedBundle
        let fd: Int32
        let path: String
    }

    /// Maps the tables from the very files the bundles were verified from.
    init(base: Source, delta: Source?, ignoredDelta: String?) throws(TrustStoreError) {
        self.base = base.bundle
        self.delta = delta?.bundle
        self.bundle = delta?.bundle ?? base.bundle
        self.ignoredDelta = ignoredDelta
        self.trust = bundle.trust
        var tables: [BundleSection: RevocationTable] = [:]
        for source in [base] + (delta.map { [$0] } ?? []) {
            for (section, region) in source.bundle.revocationTables {
                do {
                    tables[section] = try RevocationTable(mapping: source.fd, path: source.path, offset: region.offset, count: region.count)
                } catch {
                    throw TrustStoreError(.badContents, "\(source.path): \(section.rawValue): \(error)")
                }
            }
        }
        self.tables = tables
    }

    public var manifest: BundleManifest { bundle.manifest }

    /// The verifier of every accepted format over this trust, with these revocation tables.
    public func verifier(
        admission: AdmissionPolicy?, acceptedFormats: Set<CredentialFormat>? = nil, acceptedProfiles: Set<CredentialProfile>? = nil
    ) -> CredentialVerifier {
        trust.verifier(revocations: self, admission: admission, acceptedFormats: acceptedFormats, acceptedProfiles: acceptedProfiles)
    }

    /// Entries of a full table in force: the base's, less those the delta removed, plus those it added.
    public func revocationCount(_ section: BundleSection) -> Int {
        let count = tables[section]?.count ?? 0
        guard delta != nil, let (added, removed) = section.deltaTables else { return count }
        return count - (tables[removed]?.count ?? 0) + (tables[added]?.count ?? 0)
    }

    public func isRevoked(certificateIdentifier: String, country: String, signature: [UInt8], algorithm: COSEAlgorithm) -> Bool {
        if isListed(RevocationHash.uci(certificateIdentifier), in: .revokedUCI) { return true }
        if isListed(RevocationHash.countryCodeUCI(country: country, uci: certificateIdentifier), in: .revokedCountryUCI) { return true }
        return isListed(RevocationHash.signature(signature, algorithmIsECDSA: algorithm == .es256), in: .revokedSignature)
    }

    /// Added by the delta, or in the base's table and not removed by the delta.
    func isListed(_ hash: [UInt8], in table: BundleSection) -> Bool {
        if delta != nil, let (added, removed) = table.deltaTables {
            if tables[added]?.contains(hash) == true { return true }
            return tables[table]?.contains(hash) == true && tables[removed]?.contains(hash) != true
        }
        return tables[table]?.contains(hash) == true
    }
}
