import Glibc  // timespec fields of Stat
import SystemCalls
import SystemPackage

/// Identity and version of a file as `lstat` sees it. The trust store replaces its bundle by `rename`, so a
/// new install always changes the inode; size and times catch anything else. Polling this once a second is
/// the daemon's "inotify or equivalent": it also survives the state directory itself being replaced.
struct FileFingerprint: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedNanoseconds: Int64
    let changedNanoseconds: Int64

    /// nil when the path does not exist or cannot be examined.
    static func of(_ path: String) -> FileFingerprint? {
        guard let info = try? Files.status(path, followLinks: false) else { return nil }
        return FileFingerprint(
            device: UInt64(info.deviceID.rawValue), inode: UInt64(info.inode.rawValue), size: info.size,
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        )
    }
}
