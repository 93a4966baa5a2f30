import FoundationEssentials
import GateCheckCrypto
import AdmissionRules
import HealthCredentials
import TrustSources

/// The trust a device has installed: every framework's keys for the verifiers, memory-mapped revocation tables,
/// and the manifest's times for staleness.
public final class InstalledTrust: RevocationChecking, @unchecked Sendable {
    public let bundle: VerifiedBundle
    public let trust: CredentialTrust
    private let tables: [BundleSection: RevocationTable]

    /// Maps the tables from `fd`, the file `bundle` was verified from.
    init(bundle: VerifiedBundle, fileDescriptor fd: Int32, path: String) throws(TrustStoreError) {
        self.bundle = bundle
        self.trust = bundle.trust
        var tables: [BundleSection: RevocationTable] = [:]
        for (section, region) in bundle.revocationTables {
            do {
                tables[section] = try RevocationTable(mapping: fd, path: path, offset: region.offset, count: region.count)
            } catch {
                throw TrustStoreError(.badContents, "\(path): \(section.rawValue): \(error)")
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

    public func revocationCount(_ section: BundleSection) -> Int { tables[section]?.count ?? 0 }

    public func isRevoked(certificateIdentifier: String, country: String, signature: [UInt8], algorithm: COSEAlgorithm) -> Bool {
        if tables[.revokedUCI]?.contains(RevocationHash.uci(certificateIdentifier)) == true { return true }
        if tables[.revokedCountryUCI]?.contains(RevocationHash.countryCodeUCI(country: country, uci: certificateIdentifier)) == true {
            return true
        }
        let signatureHash = RevocationHash.signature(signature, algorithmIsECDSA: algorithm == .es256)
        return tables[.revokedSignature]?.contains(signatureHash) == true
    }
}
