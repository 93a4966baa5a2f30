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
    /// Set to build a delta against this full bundle: each revocation table becomes the entries added and
    /// removed since the base; every other section is written in full.
    public var deltaBase: DeltaBase?

    /// The full bundle a delta is built against. With anchors it is verified as a device would (its signer
    /// judged at its own issuedAt); without, every section is checked against its manifest's hash.
    public struct DeltaBase: Sendable {
        public let path: String
        public let anchors: [Certificate]?

        public init(path: String, anchors: [Certificate]?) {
            (self.path, self.anchors) = (path, anchors)
        }
    }

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
        var tables: [(BundleSection, [UInt8])] = []
        for table in BundleSection.revocationTables {
            let hashes = revocations[table] ?? []
            do {
                tables.append((table, try RevocationTableBuilder.build(hashes)))
            } catch {
                throw TrustStoreError(.badInput, "\(table.rawValue): \(error)")
            }
        }
        var base: BundleManifest.Base?
        if let deltaBase {
            let delta = try Self.delta(of: tables, against: deltaBase, sequence: sequence)
            (base, tables) = (delta.base, delta.sections)
        }
        sections += tables
        let manifest = BundleManifest(
            format: BundleManifest.currentFormat, sequence: sequence, issuedAt: issuedAt, notAfter: notAfter,
            producer: producer,
            files: sections.map { BundleManifest.File(name: $0.0.rawValue, length: $0.1.count, sha256: Self.hex(Digest.sha256($0.1))) },
            base: base
        ).encoded()
        let signature: [UInt8]
        do {
            signature = try CMSSignature.sign(manifest, key: key, certificate: certificate, chain: chain)
        } catch {
            throw TrustStoreError(.badInput, "cannot sign the manifest: \(error)")
        }
        return BundleLayout.encode([(.manifest, manifest), (.signature, signature)] + sections)
    }

    /// The added and removed tables for each full table, by one merge with the base's table read from its file.
    private static func delta(
        of tables: [(BundleSection, [UInt8])], against deltaBase: DeltaBase, sequence: UInt64
    ) throws(TrustStoreError) -> (base: BundleManifest.Base, sections: [(BundleSection, [UInt8])]) {
        let path = deltaBase.path
        let fd = try TrustFiles.openRegularFileForReading(path)
        defer { TrustFiles.close(fd) }
        let contents: BundleContents
        if let anchors = deltaBase.anchors {
            contents = try TrustBundleVerifier(anchors: anchors, minimumSequence: nil, signerValidityTime: nil).verify(fileDescriptor: fd, path: path).contents
        } else {
            contents = try TrustBundleInspection.unverifiedContents(fd, path: path)
        }
        guard !contents.manifest.isDelta else {
            throw TrustStoreError(.badInput, "\(path) is a delta bundle; a delta is built against a full bundle")
        }
        guard sequence > contents.manifest.sequence else {
            throw TrustStoreError(.badInput, "sequence \(sequence) is not above the base's \(contents.manifest.sequence)")
        }
        var sections: [(BundleSection, [UInt8])] = []
        for (table, bytes) in tables {
            let region = contents.revocationTables[table] ?? (0, 0)
            let changes = try RevocationMerge.changes(
                from: RevocationEntries(fd: fd, path: path, offset: region.offset, count: region.count), to: RevocationEntries(tableBytes: bytes))
            let (added, removed) = table.deltaTables!
            sections += [(added, changes.added), (removed, changes.removed)]
        }
        let base = BundleManifest.Base(sequence: contents.manifest.sequence, sha256: try TrustBundleInspection.manifestSHA256(fd, path: path))
        return (base, sections)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
