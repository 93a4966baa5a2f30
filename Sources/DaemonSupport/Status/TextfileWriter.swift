#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let fd = try Syscall.call("open", temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o644))
        }
        do {
            defer { Syscall.close(fd) }
            // The daemon's umask may be stricter; node_exporter runs as another user and must read it.
            try Syscall.call("fchmod", temporary) { fchmod(fd, mode_t(0o644)) }
            try writeAll(fd, bytes, temporary)
            try Syscall.call("fsync", temporary) { fsync(fd) }
        } catch {
            unlink(temporary)
            throw error
        }
        do {
            try Syscall.call("rename", "\(temporary) -> \(path)") { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
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

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ name: String) throws(DaemonSupportError) {
        var offset = 0
        while offset < bytes.count {
            // The pointer helpers only rethrow untyped errors: carry the typed one out in a Result.
            let result = bytes.withUnsafeBytes { buffer in
                Result { () throws(DaemonSupportError) -> Int in
                    try Syscall.call("write", name) { writeDescriptor(fd, buffer.baseAddress! + offset, buffer.count - offset) }
                }
            }
            let written = try result.get()
            guard written > 0 else { throw DaemonSupportError(.systemCall, "write(\(name)): wrote nothing") }
            offset += written
        }
    }
}

/// Outside the type, whose `write` methods would shadow the C function.
private func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
