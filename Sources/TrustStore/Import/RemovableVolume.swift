#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials

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
        var info = stat()
        guard lstat(device, &info) == 0 else {
            throw TrustStoreError(.systemCall, "lstat(\(device)): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFBLK else {
            throw TrustStoreError(.unsafeFile, "\(device) is not a block device")
        }
        var template = Array("/tmp/gatecheck-volume-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TrustStoreError(.systemCall, "mkdtemp: \(String(cString: strerror(errno)))")
        }
        let mountPoint = String(cString: made)
        defer { rmdir(mountPoint) }

        let flags = UInt(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
        var mounted = false
        var lastError = ""
        for filesystem in filesystems {
            if mount(device, mountPoint, filesystem, flags, nil) == 0 {
                mounted = true
                break
            }
            lastError = "mount(\(device), \(filesystem)): \(String(cString: strerror(errno)))"
        }
        guard mounted else { throw TrustStoreError(.systemCall, lastError) }
        defer {
            // A busy mount (it should never be: we close every file) is detached rather than left behind.
            if umount2(mountPoint, 0) != 0 { umount2(mountPoint, Int32(MNT_DETACH)) }
        }
        return try body(mountPoint + "/" + bundleFileName)
    }
}
