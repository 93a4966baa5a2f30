import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import TrustSources

/// A bundle that passed every check, with where its revocation tables sit in the file.
public struct VerifiedBundle: Sendable {
    public let manifest: BundleManifest
    public let signerCertificate: Certificate
    /// Every framework's keys, one section each.
    public let trust: CredentialTrust
    /// The HCERT Document Signers (`signers` section), in the bundle's order.
    public var signers: [DocumentSigner] { trust.hcert.allSigners }
    /// Byte offset and entry count of each revocation table in the file.
    public let revocationTables: [BundleSection: (offset: Int, count: Int)]
    /// Admission rules and their value sets, validated again on import; nil when the bundle has none.
    public let rules: RuleSet?
    public let valueSets: ValueSets?

    public var revocationCount: Int { revocationTables.values.reduce(0) { $0 + $1.count } }

    /// What the bundle holds, for comparing it with another (`trust bundle diff`).
    public var contents: BundleContents {
        BundleContents(manifest: manifest, trust: trust, revocationTables: revocationTables, rules: rules, valueSets: valueSets)
    }
}

/// A bundle's manifest and contents, each section checked against the manifest's hash and parsed as an import
/// parses it; verified or not, as whoever made it says.
public struct BundleContents: Sendable {
    public let manifest: BundleManifest
    public let trust: CredentialTrust
    /// Byte offset and entry count of each revocation table in the file.
    public let revocationTables: [BundleSection: (offset: Int, count: Int)]
    public let rules: RuleSet?
    public let valueSets: ValueSets?
}

/// Checks a trust bundle in the order OpenBSD signify taught: size caps, known signer, signature,
/// sequence, file hashes, and only then the contents. Nothing is parsed that is not yet authenticated,
/// except the fixed-size framing needed to find the signature.
public struct TrustBundleVerifier: Sendable {
    /// CA certificates allowed to sign bundles (pinned on the device).
    public var anchors: [Certificate]
    /// The highest sequence the device has accepted; a bundle must be above it. nil skips the check
    /// (inspection, or re-loading the installed bundle).
    public var minimumSequence: UInt64?
    /// When the signer's certificate chain must be valid; nil means "at the bundle's own issuedAt".
    public var signerValidityTime: Date?

    public init(anchors: [Certificate], minimumSequence: UInt64?, signerValidityTime: Date?) {
        self.anchors = anchors
        self.minimumSequence = minimumSequence
        self.signerValidityTime = signerValidityTime
    }

    public func verify(path: String) throws(TrustStoreError) -> VerifiedBundle {
        let fd = try TrustFiles.openRegularFileForReading(path)
        defer { TrustFiles.close(fd) }
        return try verify(fileDescriptor: fd, path: path)
    }

    public func verify(fileDescriptor fd: Int32, path: String) throws(TrustStoreError) -> VerifiedBundle {
        // 1. Size caps: the framing is checked against the file before any section is read.
        let layout = try BundleLayout.read(fd, path: path)
        guard let manifestEntry = layout.entry(.manifest), let signatureEntry = layout.entry(.signature) else {
            throw TrustStoreError(.malformed, "\(path): a bundle needs a manifest and a signature")
        }
        let manifestBytes = try TrustFiles.read(fd, path, offset: manifestEntry.offset, count: manifestEntry.length)
        let signature = try TrustFiles.read(fd, path, offset: signatureEntry.offset, count: signatureEntry.length)

        // 2. Known signer: the certificate chain must reach a pinned anchor before any crypto on the content.
        // The time for the chain: given, or the issuedAt the (not yet authenticated) manifest claims;
        // step 3 binds that claim, since the manifest is what is signed.
        let time: Date
        if let signerValidityTime {
            time = signerValidityTime
        } else {
            time = try BundleManifest.decode(manifestBytes).issuedAt
        }
        do {
            _ = try CMSSignature.trustedSigner(of: signature, anchors: anchors, at: time)
        } catch {
            throw Self.translate(error, path: path)
        }

        // 3. Signature over the manifest.
        let signer: Certificate
        do {
            signer = try CMSSignature.verify(signature, content: manifestBytes, anchors: anchors, at: time)
        } catch {
            throw Self.translate(error, path: path)
        }
        let manifest = try BundleManifest.decode(manifestBytes)

        // 4. Sequence: no rollback, no replay.
        if let minimumSequence, manifest.sequence <= minimumSequence {
            throw TrustStoreError(.rollback, "\(path): sequence \(manifest.sequence) is not above the installed \(minimumSequence)")
        }

        let contents = try Self.checkedContents(fd, path: path, layout: layout, manifest: manifest)
        return VerifiedBundle(
            manifest: manifest, signerCertificate: signer, trust: contents.trust, revocationTables: contents.revocationTables,
            rules: contents.rules, valueSets: contents.valueSets)
    }

    /// Steps 5 and 6: every section against `manifest`, then the contents. Only called with a verified manifest,
    /// except by ``TrustBundleInspection``, whose results are shown as unverified.
    static func checkedContents(
        _ fd: Int32, path: String, layout: BundleLayout, manifest: BundleManifest
    ) throws(TrustStoreError) -> BundleContents {
        // 5. Every other section is listed in the manifest with its length and hash, and nothing else is there.
        let sections = layout.entries.filter { $0.section != .manifest && $0.section != .signature }
        guard Set(sections.map(\.section.rawValue)) == Set(manifest.files.map(\.name)) else {
            throw TrustStoreError(.hashMismatch, "\(path): sections and manifest file list differ")
        }
        for entry in sections {
            let listed = manifest.files.first { $0.name == entry.section.rawValue }!
            guard listed.length == entry.length else {
                throw TrustStoreError(.hashMismatch, "\(path): section \(listed.name) has \(entry.length) bytes, the manifest says \(listed.length)")
            }
            let digest = try Self.sha256(fd, path: path, offset: entry.offset, length: entry.length)
            guard TrustBundleBuilder.hex(digest) == listed.sha256.lowercased() else {
                throw TrustStoreError(.hashMismatch, "\(path): section \(listed.name) does not match its hash")
            }
        }

        // 6. Only now the contents.
        var signers: [DocumentSigner] = []
        if let entry = layout.entry(.signers) {
            signers = try SignerRecords.signers(from: TrustFiles.read(fd, path, offset: entry.offset, count: entry.length))
        }
        // A delta carries each table as entries added and removed since its base, a full bundle the table itself.
        let (tableSections, foreignSections) = manifest.isDelta
            ? (BundleSection.deltaRevocationTables, BundleSection.revocationTables)
            : (BundleSection.revocationTables, BundleSection.deltaRevocationTables)
        if let stray = foreignSections.first(where: { layout.entry($0) != nil }) {
            throw TrustStoreError(.malformed, "\(path): a \(manifest.isDelta ? "delta" : "full") bundle cannot hold \(stray.rawValue)")
        }
        var tables: [BundleSection: (offset: Int, count: Int)] = [:]
        for table in tableSections {
            guard let entry = layout.entry(table) else { continue }
            guard entry.length % RevocationTable.entrySize == 0 else {
                throw TrustStoreError(.badContents, "\(path): \(table.rawValue) is not a whole number of entries")
            }
            let count = entry.length / RevocationTable.entrySize
            do {
                // Reads every page once; lookups rely on the order.
                _ = try RevocationTable(mapping: fd, path: path, offset: entry.offset, count: count, verifySorted: true)
            } catch {
                throw TrustStoreError(.badContents, "\(path): \(table.rawValue): \(error)")
            }
            tables[table] = (entry.offset, count)
        }
        var valueSets: ValueSets?
        if let entry = layout.entry(.valueSets) {
            valueSets = try BundleRules.valueSets(from: TrustFiles.read(fd, path, offset: entry.offset, count: entry.length))
        }
        var rules: RuleSet?
        if let entry = layout.entry(.rules) {
            rules = try BundleRules.ruleSet(from: TrustFiles.read(fd, path, offset: entry.offset, count: entry.length))
        }
        try BundleRules.check(rules: rules, valueSets: valueSets)
        var trust = CredentialTrust(hcert: TrustList(signers))
        for framework in CredentialTrust.Framework.allCases where framework != .hcert {
            let section = BundleSection.section(for: framework)
            guard let entry = layout.entry(section) else { continue }
            do {
                trust = try trust.loading(framework, sectionBytes: TrustFiles.read(fd, path, offset: entry.offset, count: entry.length))
            } catch let error as TrustStoreError {
                throw error
            } catch {
                throw TrustStoreError(.badContents, "\(path): \(section.rawValue): \(error)")
            }
        }
        return BundleContents(manifest: manifest, trust: trust, revocationTables: tables, rules: rules, valueSets: valueSets)
    }

    /// SHA-256 of a file region, read in 1 MiB pieces so memory stays flat for large tables.
    static func sha256(_ fd: Int32, path: String, offset: Int, length: Int) throws(TrustStoreError) -> [UInt8] {
        let hasher = SHA256Hasher()
        var position = offset
        let end = offset + length
        while position < end {
            let piece = try TrustFiles.read(fd, path, offset: position, count: min(1 << 20, end - position))
            hasher.update(piece)
            position += piece.count
        }
        return hasher.finalize()
    }

    private static func translate(_ error: CryptoError, path: String) -> TrustStoreError {
        switch error.code {
        case .untrustedSigner: TrustStoreError(.unknownSigner, "\(path): bundle signer does not chain to a pinned anchor")
        case .signerCertificateExpired: TrustStoreError(.signerExpired, "\(path): bundle signer certificate is not valid now")
        case .signatureInvalid: TrustStoreError(.badSignature, "\(path): manifest signature does not verify")
        case .inputTooLarge: TrustStoreError(.tooLarge, "\(path): signature section too large")
        default: TrustStoreError(.malformed, "\(path): signature: \(error)")
        }
    }
}
