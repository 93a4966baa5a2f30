import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON
import TrustSources

/// `gatecheck trust bundle diff OLD NEW`: what changed between two bundles, one fact per line, in the fixed
/// format docs/trust-bundles.md defines ("Comparing two bundles"). Only trust material's ids are printed (kids,
/// issuer URLs and DIDs, certificate hashes, rule identifiers, value set names), never anything else a section holds.
public enum TrustBundleDiff {
    /// The first line: the format's name and version.
    public static let formatLine = "gatecheck-trust-diff 1"

    /// Both bundles checked (with `anchors`: fully verified, the signer's chain judged at each bundle's own
    /// `issuedAt`; without: every section against its manifest hash and parsed, the signature not checked),
    /// then compared.
    public static func lines(old: String, new: String, anchors: [Certificate]?) throws(TrustStoreError) -> [String] {
        let oldFile = try TrustFiles.openRegularFileForReading(old)
        defer { TrustFiles.close(oldFile) }
        let newFile = try TrustFiles.openRegularFileForReading(new)
        defer { TrustFiles.close(newFile) }
        func contents(_ fd: Int32, path: String) throws(TrustStoreError) -> BundleContents {
            guard let anchors else { return try TrustBundleInspection.unverifiedContents(fd, path: path) }
            return try TrustBundleVerifier(anchors: anchors, minimumSequence: nil, signerValidityTime: nil).verify(fileDescriptor: fd, path: path).contents
        }
        let before = try contents(oldFile, path: old)
        let after = try contents(newFile, path: new)

        var lines = [formatLine, "verified \(anchors == nil ? "no" : "yes")"]
        lines.append("sequence \(before.manifest.sequence) \(after.manifest.sequence)")
        lines.append("issued \(timestamp(before.manifest.issuedAt)) \(timestamp(after.manifest.issuedAt))")
        lines.append("valid-until \(timestamp(before.manifest.notAfter)) \(timestamp(after.manifest.notAfter))")
        let anyDelta = before.manifest.isDelta || after.manifest.isDelta
        if anyDelta { lines.append("base \(baseField(before.manifest)) \(baseField(after.manifest))") }
        for framework in CredentialTrust.Framework.allCases {
            let (was, now) = (signers(framework, in: before.trust), signers(framework, in: after.trust))
            lines += section("signers \(framework.rawValue)", old: was, new: now, item: "signer \(framework.rawValue)")
        }
        lines += section("rules", old: rules(before.rules), new: rules(after.rules), item: "rule")
        lines += section("value-sets", old: valueSets(before.valueSets), new: valueSets(after.valueSets), item: "value-set")
        for table in BundleSection.revocationTables + (anyDelta ? BundleSection.deltaRevocationTables : []) {
            let was = before.revocationTables[table] ?? (0, 0)
            let now = after.revocationTables[table] ?? (0, 0)
            let common = try commonEntries(
                RevocationEntries(fd: oldFile, path: old, offset: was.offset, count: was.count),
                RevocationEntries(fd: newFile, path: new, offset: now.offset, count: now.count))
            lines.append("revocation \(table.rawValue) \(was.count) \(now.count) +\(now.count - common) -\(was.count - common)")
        }
        return lines
    }

    /// One item of a section: its printed id (with its country, for signers) and what it is compared by.
    struct Item: Hashable {
        let label: String
        let content: [UInt8]
    }

    /// The summary line (`NAME OLD NEW +ADDED -REMOVED ~CHANGED`), then `-`, `+` and `~` lines, each sorted.
    /// Items are the same when their labels are; a label in both whose content differs is changed (for signers,
    /// a new certificate under an old kid).
    static func section(_ name: String, old: [Item], new: [Item], item: String) -> [String] {
        let before = Dictionary(old.map { ($0.label, $0.content) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.label, $0.content) }, uniquingKeysWith: { first, _ in first })
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let changed = before.keys.filter { after[$0] != nil && after[$0] != before[$0] }.sorted()
        var lines = ["\(name) \(old.count) \(new.count) +\(added.count) -\(removed.count) ~\(changed.count)"]
        lines += removed.map { "- \(item) \($0)" } + added.map { "+ \(item) \($0)" } + changed.map { "~ \(item) \($0)" }
        return lines
    }

    /// A framework's keys: `ID COUNTRY` (country `-` when unknown), compared by certificate or key.
    static func signers(_ framework: CredentialTrust.Framework, in trust: CredentialTrust) -> [Item] {
        trust.keyIdentities(of: framework).map { Item(label: "\(printable($0.id)) \(printable($0.country ?? "-"))", content: $0.material) }
    }

    /// `IDENTIFIER VERSION`, compared by the rule's JSON.
    static func rules(_ set: RuleSet?) -> [Item] {
        (set?.rules ?? []).map { Item(label: "\($0.identifier) \($0.version)", content: JSONWriter.bytes($0.json, memberOrder: .sortedByUTF16)) }
    }

    /// `NAME`, compared by the codes.
    static func valueSets(_ sets: ValueSets?) -> [Item] {
        (sets?.names ?? []).map { name in
            Item(label: printable(name), content: JSONWriter.bytes(.array((sets?.codes(name) ?? []).map { .string($0) })))
        }
    }

    /// Entries in both sorted tables, by one merge over the files in 1 MiB pieces.
    static func commonEntries(_ old: RevocationEntries, _ new: RevocationEntries) throws(TrustStoreError) -> Int {
        var common = 0
        try RevocationMerge.merge(old, new) { side, _ in if case .both = side { common += 1 } }
        return common
    }

    /// A delta's base as `SEQUENCE:SHA256` (of the base's manifest section); `-` for a full bundle.
    static func baseField(_ manifest: BundleManifest) -> String {
        manifest.base.map { "\($0.sequence):\($0.sha256)" } ?? "-"
    }

    static func timestamp(_ date: Date) -> String { Date.ISO8601FormatStyle().format(date) }

    /// An id as one field: visible ASCII only (anything else `?`), at most 200 characters.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(200).map { (0x21...0x7E).contains($0.value) ? $0 : "?" }))
    }
}
