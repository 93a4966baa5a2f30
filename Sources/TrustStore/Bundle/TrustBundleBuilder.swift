import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON
import TrustSources

/// The back-office side: assembles and signs a trust bundle (`gatecheck trust bundle create`).
public struct TrustBundleBuilder: Sendable {
    public var sequence: UInt64
    public var issuedAt: Date
    public var notAfter: Date
    public var producer: String
    /// Every framework's keys; each framework gets its own section.
    public var trust = CredentialTrust.empty
    /// The HCERT Document Signers (the `signers` section).
    public var signers: [DocumentSigner] {
        get { trust.hcert.allSigners }
        set { trust.hcert = TrustList(newValue) }
    }
    /// 16-byte hashes per revocation table (see `RevocationHash`).
    public var revocations: [BundleSection: [[UInt8]]] = [:]
    /// Admission rules; a bundle with rules must carry the value sets they read.
    public var rules: RuleSet?
    public var valueSets: ValueSets?

    public init(sequence: UInt64, issuedAt: Date, notAfter: Date, producer: String) {
        // Whole seconds: the manifest stores ISO 8601 times without fractions.
        self.sequence = sequence
        self.issuedAt = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
        self.notAfter = Date(timeIntervalSince1970: notAfter.timeIntervalSince1970.rounded(.down))
        self.producer = producer
    }

    /// The complete bundle file, signed with `key` whose `certificate` (and `chain`) lead to a device anchor.
    public func build(signingKey key: PrivateKey, certificate: Certificate, chain: [Certificate] = []) throws(TrustStoreError) -> [UInt8] {
        var sections: [(BundleSection, [UInt8])] = [(.signers, SignerRecords(signers).encoded())]
        for framework in CredentialTrust.Framework.allCases {
            if let bytes = trust.sectionBytes(of: framework) { sections.append((BundleSection.section(for: framework), bytes)) }
        }
        try BundleRules.check(rules: rules, valueSets: valueSets)
        if let valueSets { sections.append((.valueSets, JSONWriter.bytes(valueSets.json))) }
        if let rules { sections.append((.rules, JSONWriter.bytes(rules.json))) }
        for table in BundleSection.revocationTables {
            let hashes = revocations[table] ?? []
            do {
                sections.append((table, try RevocationTableBuilder.build(hashes)))
            } catch {
                throw TrustStoreError(.badInput, "\(table.rawValue): \(error)")
            }
        }
        let manifest = BundleManifest(
            format: BundleManifest.currentFormat, sequence: sequence, issuedAt: issuedAt, notAfter: notAfter,
            producer: producer,
            files: sections.map { BundleManifest.File(name: $0.0.rawValue, length: $0.1.count, sha256: Self.hex(Digest.sha256($0.1))) }
        ).encoded()
        let signature: [UInt8]
        do {
            signature = try CMSSignature.sign(manifest, key: key, certificate: certificate, chain: chain)
        } catch {
            throw TrustStoreError(.badInput, "cannot sign the manifest: \(error)")
        }
        return BundleLayout.encode([(.manifest, manifest), (.signature, signature)] + sections)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
