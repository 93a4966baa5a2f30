import Glibc
import SystemCalls
import SystemPackage

/// Replaces a file atomically, for node_exporter's textfile collector: a reader sees the old content or
/// the new, never half of it. The temporary file sits in the same directory (rename cannot cross file
/// systems) and does not end in `.prom`, so the collector never reads it.
public struct TextfileWriter: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func write(_ text: String) throws(DaemonSupportError) {
        try write(bytes: Array(text.utf8))
    }

    public func write(bytes: [UInt8]) throws(DaemonSupportError) {
        let temporary = temporaryPath()
        // O_EXCL and O_NOFOLLOW: never write through something another user planted at that name.
        let readable: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
        do {
            let fd = try Files.open(temporary, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: readable)
            defer { SystemCall.close(fd) }
            // The daemon's umask may be stricter; node_exporter runs as another user and must read it.
            try Files.setPermissions(fd, temporary, readable)
            try Files.writeAll(fd, temporary, bytes)
            try Files.sync(fd, temporary)
        } catch {
            try? Files.remove(temporary)
            throw SystemCallMapping.error(error)
        }
        do {
            try Files.rename(temporary, path)
        } catch {
            try? Files.remove(temporary)
            throw SystemCallMapping.error(error)
        }
    }

    /// `.NAME.PID.RANDOM.tmp` beside the target.
    func temporaryPath() -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(directory).\(name).\(getpid()).\(random).tmp"
    }
}
