#if canImport(Glibc)
import Glibc
#endif

/// Reading a bundle's manifest without verifying anything, for `gatecheck trust bundle inspect`.
/// The result is unauthenticated and must only be shown, never acted on.
public enum TrustBundleInspection {
    public static func manifest(path: String) throws(TrustStoreError) -> BundleManifest {
        let fd = try Posix.openRegularFileForReading(path)
        defer { close(fd) }
        let layout = try BundleLayout.read(fd, path: path)
        guard let entry = layout.entry(.manifest) else { throw TrustStoreError(.malformed, "\(path): no manifest") }
        return try BundleManifest.decode(Posix.read(fd, path, offset: entry.offset, count: entry.length))
    }
}
