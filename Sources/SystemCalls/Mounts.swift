#if canImport(Glibc)
import Glibc

/// mount(2) and umount2(2) for removable media, and the private directory they are mounted on.
public enum Mounts {
    /// A fresh private directory from a `mkdtemp` template ending in `XXXXXX`.
    public static func makeTemporaryDirectory(_ template: String) throws(SystemCallError) -> String {
        var bytes = Array(template.utf8CString)
        let made = try SystemCall.retrying("mkdtemp", template, pointer: { bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) } })
        return String(cString: made)
    }

    /// rmdir(2), best effort: the directory is private and empty once unmounted.
    public static func removeDirectory(_ path: String) {
        _ = rmdir(path)
    }

    /// Mounts `device` read-only with nosuid, nodev and noexec: media to read, never to run or trust.
    public static func mountReadOnly(_ device: String, at mountPoint: String, filesystem: String) throws(SystemCallError) {
        let flags = UInt(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
        try SystemCall.retrying("mount", "\(device), \(filesystem)") { mount(device, mountPoint, filesystem, flags, nil) }
    }

    /// Unmounts; a busy mount (it should never be) is detached rather than left behind.
    public static func unmount(_ mountPoint: String) {
        if umount2(mountPoint, 0) != 0 { _ = umount2(mountPoint, Int32(MNT_DETACH)) }
    }
}
#endif
