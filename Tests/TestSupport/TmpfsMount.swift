import Glibc

/// A real tmpfs of a fixed size mounted on an existing directory, for the faults of a real file system: a full
/// partition (ENOSPC) and a read-only one (EROFS). Mounting needs root (CAP_SYS_ADMIN); where it is refused,
/// `mount` returns nil and the caller prints a notice and skips.
public final class TmpfsMount: @unchecked Sendable {
    public let path: String
    private var mounted = true

    private init(path: String) {
        self.path = path
    }

    /// Mounts a tmpfs of `bytes` (rounded up to pages by the kernel) on `path`; nil, with a notice printed, when not allowed.
    public static func mount(on path: String, bytes: Int, test: String) -> TmpfsMount? {
        guard Glibc.mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            print("notice: \(test) skipped: cannot mount a tmpfs on \(path) (\(String(cString: strerror(errno)))); it needs root")
            return nil
        }
        return TmpfsMount(path: path)
    }

    /// Remounts read-only (what a failing SD card or an `ro` fstab entry gives); root bypasses file modes, a mount does not.
    public func remount(readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        guard Glibc.mount("tmpfs", path, "tmpfs", flags, nil) == 0 else {
            throw TmpfsMountError("remount \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Bytes an unprivileged writer can still use.
    public func freeBytes() -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return -1 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Lazily detached, so a file still open elsewhere does not keep the test's directory busy.
    public func unmount() {
        guard mounted else { return }
        mounted = false
        _ = umount2(path, Int32(MNT_DETACH))
    }

    deinit { unmount() }
}

public struct TmpfsMountError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
