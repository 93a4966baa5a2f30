#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every system call of DaemonSupport goes through here: EINTR is retried, and a failure becomes a
/// `DaemonSupportError` naming the call and what it was about.
enum Syscall {
    @discardableResult
    static func call<Result: BinaryInteger>(
        _ name: String, _ subject: String, _ body: () -> Result
    ) throws(DaemonSupportError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw error(name, subject, code)
        }
    }

    static func error(_ name: String, _ subject: String, _ code: Int32) -> DaemonSupportError {
        DaemonSupportError(.systemCall, "\(name)(\(subject)): \(String(cString: strerror(code)))")
    }

    /// Closes without retrying: on Linux the descriptor is gone even when close reports EINTR, and a
    /// retry could close a descriptor another thread has just been given.
    static func close(_ fd: Int32) {
        _ = closeDescriptor(fd)
    }

    /// Reads a whole regular file of at most `limit` bytes. Devices, FIFOs and directories are refused
    /// before reading, so a wrong path cannot block the daemon's start.
    static func readRegularFile(_ path: String, limit: Int) throws(DaemonSupportError) -> [UInt8] {
        let fd = try call("open", path) { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        defer { close(fd) }
        var info = stat()
        try call("fstat", path) { fstat(fd, &info) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DaemonSupportError(.unreadableFile, file: path, "not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            // withUnsafeMutableBytes only rethrows untyped errors: carry the typed one out in a Result.
            let result = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(DaemonSupportError) -> Int in
                    try call("read", path) { read(fd, buffer.baseAddress, buffer.count) }
                }
            }
            let count = try result.get()
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            guard bytes.count <= limit else {
                throw DaemonSupportError(.unreadableFile, file: path, "larger than \(limit) bytes")
            }
        }
    }
}

#if canImport(Glibc)
private let closeDescriptor = Glibc.close
#elseif canImport(Darwin)
private let closeDescriptor = Darwin.close
#endif
