import SystemCalls
import SystemPackage

/// Whether a file descriptor is the journal's stream: systemd sets `$JOURNAL_STREAM` to the
/// "device:inode" of the stream it connects to stdout/stderr. Comparing with fstat (not mere
/// presence of the variable) matters, because a child or a shell redirect inherits the variable
/// while writing somewhere else.
public enum JournalStream {
    /// True when `fd` is the stream `$JOURNAL_STREAM` names. A missing or malformed value, or a
    /// failing fstat, means "not the journal": plain text is always a safe fallback.
    public static func isJournal(fd: Int32, environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        guard let info = try? Files.status(FileDescriptor(rawValue: fd), "fd \(fd)") else { return false }
        return UInt64(info.deviceID.rawValue) == device && UInt64(info.inode.rawValue) == inode
    }

    /// Whether this process's stderr is the journal.
    public static func isStandardErrorJournal() -> Bool {
        isJournal(fd: 2, environment: ProcessEnvironment.values(["JOURNAL_STREAM"]))
    }
}
