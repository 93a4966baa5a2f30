import AdmissionRules
import GateCheckCrypto

/// Reading a bundle's manifest without verifying anything, for `gatecheck trust bundle inspect`.
/// The result is unauthenticated and must only be shown, never acted on.
public enum TrustBundleInspection {
    public static func manifest(path: String) throws(TrustStoreError) -> BundleManifest {
        let fd = try TrustFiles.openRegularFileForReading(path)
        defer { TrustFiles.close(fd) }
        return try manifest(fd, path: path, layout: BundleLayout.read(fd, path: path))
    }

    /// Every section checked against the unverified manifest's hashes and parsed as an import parses it; the
    /// signature is not checked, so the result must only be shown.
    public static func unverifiedContents(_ fd: Int32, path: String) throws(TrustStoreError) -> BundleContents {
        let layout = try BundleLayout.read(fd, path: path)
        return try TrustBundleVerifier.checkedContents(fd, path: path, layout: layout, manifest: manifest(fd, path: path, layout: layout))
    }

    private static func manifest(_ fd: Int32, path: String, layout: BundleLayout) throws(TrustStoreError) -> BundleManifest {
        try BundleManifest.decode(manifestBytes(fd, path: path, layout: layout))
    }

    private static func manifestBytes(_ fd: Int32, path: String, layout: BundleLayout) throws(TrustStoreError) -> [UInt8] {
        guard let entry = layout.entry(.manifest) else { throw TrustStoreError(.malformed, "\(path): no manifest") }
        return try TrustFiles.read(fd, path, offset: entry.offset, count: entry.length)
    }

    /// Lowercase hex SHA-256 of a bundle's manifest section, which lists every other section's hash: what a
    /// delta's `base.sha256` names.
    static func manifestSHA256(_ fd: Int32, path: String) throws(TrustStoreError) -> String {
        TrustBundleBuilder.hex(Digest.sha256(try manifestBytes(fd, path: path, layout: BundleLayout.read(fd, path: path))))
    }

    /// The rules and value sets, read after checking each section against the (unverified) manifest's hash,
    /// with the same validation an import applies.
    public static func ruleContents(path: String) throws(TrustStoreError) -> (rules: RuleSet?, valueSets: ValueSets?) {
        let fd = try TrustFiles.openRegularFileForReading(path)
        defer { TrustFiles.close(fd) }
        let layout = try BundleLayout.read(fd, path: path)
        let manifest = try manifest(fd, path: path, layout: layout)
        func section(_ section: BundleSection) throws(TrustStoreError) -> [UInt8]? {
            guard let entry = layout.entry(section) else { return nil }
            let bytes = try TrustFiles.read(fd, path, offset: entry.offset, count: entry.length)
            guard let listed = manifest.files.first(where: { $0.name == section.rawValue }),
                  TrustBundleBuilder.hex(Digest.sha256(bytes)) == listed.sha256.lowercased()
            else { throw TrustStoreError(.hashMismatch, "\(path): section \(section.rawValue) does not match the manifest") }
            return bytes
        }
        let rules = try section(.rules).map { bytes throws(TrustStoreError) in try BundleRules.ruleSet(from: bytes) }
        let valueSets = try section(.valueSets).map { bytes throws(TrustStoreError) in try BundleRules.valueSets(from: bytes) }
        return (rules, valueSets)
    }
}
