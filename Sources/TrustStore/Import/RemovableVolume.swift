import FoundationEssentials
import SystemCalls
import SystemPackage

/// A USB stick holding a trust bundle, read as hostile input.
///
/// The block device is mounted read-only with nosuid, nodev and noexec on a fresh private
/// directory, only the bundle file at the volume root is opened (never through a symlink), it is
/// copied into the store before it is verified, and the volume is unmounted and the directory
/// removed whatever happens. Nothing is ever written to the stick.
public enum RemovableVolume {
    /// The one file read from a stick: at the root of the volume, this exact name.
    public static let bundleFileName = "gatecheck-trust.bundle"
    /// Filesystems a technician's stick may carry, tried in this order.
    public static let filesystems = ["vfat", "exfat", "ext4"]

    /// Mounts `device`, runs `body` with the bundle's path, unmounts.
    public static func withBundle<T>(onDevice device: String, _ body: (String) throws(TrustStoreError) -> T) throws(TrustStoreError) -> T {
        let type = try TrustFiles.mapped { () throws(SystemCallError) in try Files.status(device, followLinks: false).type }
        guard type == .blockSpecial else {
            throw TrustStoreError(.unsafeFile, "\(device) is not a block device")
        }
        let mountPoint = try TrustFiles.mapped { () throws(SystemCallError) in
            try Mounts.makeTemporaryDirectory("/tmp/gatecheck-volume-XXXXXX")
        }
        defer { Mounts.removeDirectory(mountPoint) }

        var mounted = false
        var lastError = ""
        for filesystem in filesystems {
            do {
                try Mounts.mountReadOnly(device, at: mountPoint, filesystem: filesystem)
                mounted = true
                break
            } catch {
                lastError = error.description
            }
        }
        guard mounted else { throw TrustStoreError(.systemCall, lastError) }
        // We close every file, so the unmount should never find the volume busy.
        defer { Mounts.unmount(mountPoint) }
        return try body(mountPoint + "/" + bundleFileName)
    }
}
