#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every system call of the lamps module goes through here: EINTR is retried, and a failure
/// becomes a `LampError` that names the call and the path.
enum Posix {
    /// Upper bound for reading a sysfs attribute; the kernel serves at most a page.
    static let maxAttributeSize = 4096

    /// Runs `body` until it does not fail with EINTR; returns the result or the errno of the failure.
    static func retryingEINTR<Result: BinaryInteger>(_ body: () -> Result) -> (result: Result, errno: Int32) {
        while true {
            let result = body()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code != EINTR { return (result, code) }
        }
    }

    /// Maps an errno to a lamp error that names the call and the path.
    static func error(_ call: String, _ path: String, _ code: Int32, fallback: LampError.Code) -> LampError {
        let reason = "\(call)(\(path)): \(String(cString: strerror(code)))"
        switch code {
        case ENOENT, ENOTDIR, ENODEV: return LampError(.notFound, reason)
        case EACCES, EPERM: return LampError(.permissionDenied, reason)
        default: return LampError(fallback, reason)
        }
    }

    /// Reads a small attribute file and returns its text without the trailing newline.
    static func readAttribute(_ path: String) throws(LampError) -> String {
        let opened = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard opened.result >= 0 else { throw error("open", path, opened.errno, fallback: .readFailed) }
        let fd = opened.result
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: maxAttributeSize)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                retryingEINTR { read(fd, buffer.baseAddress! + count, buffer.count - count) }
            }
            guard got.result >= 0 else { throw error("read", path, got.errno, fallback: .readFailed) }
            if got.result == 0 { break }
            count += got.result
        }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return text.trimmingWhitespace()
    }

    /// Writes `text` to an existing attribute file in one `write`, as sysfs expects.
    ///
    /// The file is never created (a missing attribute is `notFound`, not a new file in a test tree), and
    /// O_TRUNC keeps plain test files exact while sysfs ignores it. Returns the errno of a failed write
    /// when it is listed in `tolerating` (e.g. EBUSY from `export`), otherwise throws.
    @discardableResult
    static func writeAttribute(_ path: String, _ text: String, tolerating: Set<Int32> = []) throws(LampError) -> Int32 {
        let opened = retryingEINTR { open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW) }
        guard opened.result >= 0 else { throw error("open", path, opened.errno, fallback: .writeFailed) }
        let fd = opened.result
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let wrote = bytes.withUnsafeBytes { buffer in
            retryingEINTR { write(fd, buffer.baseAddress!, buffer.count) }
        }
        if wrote.result < 0 {
            if tolerating.contains(wrote.errno) { return wrote.errno }
            throw error("write", path, wrote.errno, fallback: .writeFailed)
        }
        // A sysfs store takes the whole buffer or fails; a short write means something else is there.
        guard wrote.result == bytes.count else {
            throw LampError(.writeFailed, "write(\(path)): wrote \(wrote.result) of \(bytes.count) bytes")
        }
        return 0
    }

    /// Sleeps for about `milliseconds`, resuming after a signal; only for waiting on udev at start.
    static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }

    /// Whether something exists at `path` (following symlinks, as /sys/class entries are links).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return retryingEINTR { stat(path, &info) }.result == 0
    }

    /// The names in a directory, without `.` and `..`, sorted.
    static func listDirectory(_ path: String) throws(LampError) -> [String] {
        guard let directory = opendir(path) else { throw error("opendir", path, errno, fallback: .readFailed) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
