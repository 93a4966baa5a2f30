#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every system call of the trust store goes through here: EINTR is retried, and a failure
/// becomes a `TrustStoreError` that names the call and the path.
enum Posix {
    @discardableResult
    static func call<Result: BinaryInteger>(_ name: String, _ path: String, _ body: () -> Result) throws(TrustStoreError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw TrustStoreError(.systemCall, "\(name)(\(path)): \(String(cString: strerror(code)))")
        }
    }

    /// Opens a regular file for reading without following a symlink at the last component, and
    /// refuses devices, FIFOs and directories before anything is read.
    static func openRegularFileForReading(_ path: String) throws(TrustStoreError) -> Int32 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ELOOP { throw TrustStoreError(.unsafeFile, "\(path) is a symbolic link") }
            throw TrustStoreError(.systemCall, "open(\(path)): \(String(cString: strerror(code)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw TrustStoreError(.systemCall, "fstat(\(path)): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw TrustStoreError(.unsafeFile, "\(path) is not a regular file")
        }
        return fd
    }

    /// Like `openRegularFileForReading`, but no component of the path may be a symlink: each
    /// directory is opened with O_NOFOLLOW relative to the one before (a stick can hold links).
    static func openRegularFileWithoutSymlinks(_ path: String) throws(TrustStoreError) -> Int32 {
        let components = path.split(separator: "/").map(String.init)
        guard let last = components.last, !components.contains(".."), !components.contains(".") else {
            throw TrustStoreError(.unsafeFile, "\(path): the path must name a file without '.' or '..'")
        }
        var directory = try call("open", path) { open(path.hasPrefix("/") ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        for component in components.dropLast() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(directory)
            guard next >= 0 else {
                if code == ELOOP || code == ENOTDIR {
                    throw TrustStoreError(.unsafeFile, "\(path): \(component) is a symbolic link or not a directory")
                }
                throw TrustStoreError(.systemCall, "openat(\(path), \(component)): \(String(cString: strerror(code)))")
            }
            directory = next
        }
        defer { close(directory) }
        let fd = openat(directory, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw TrustStoreError(.unsafeFile, "\(path) is a symbolic link") }
            throw TrustStoreError(.systemCall, "openat(\(path)): \(String(cString: strerror(code)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw TrustStoreError(.unsafeFile, "\(path) is not a regular file")
        }
        return fd
    }

    static func fileSize(_ fd: Int32, _ path: String) throws(TrustStoreError) -> Int {
        var info = stat()
        try call("fstat", path) { fstat(fd, &info) }
        return Int(info.st_size)
    }

    /// Reads exactly `count` bytes at `offset`.
    static func read(_ fd: Int32, _ path: String, offset: Int, count: Int) throws(TrustStoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw TrustStoreError(.systemCall, "pread(\(path)): \(String(cString: strerror(errno)))")
            }
            guard got > 0 else { throw TrustStoreError(.malformed, "\(path) ended early at byte \(offset + done)") }
            done += got
        }
        return bytes
    }

    static func writeAll(_ fd: Int32, _ path: String, _ bytes: ArraySlice<UInt8>) throws(TrustStoreError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if wrote < 0 {
                if errno == EINTR { continue }
                throw TrustStoreError(.systemCall, "write(\(path)): \(String(cString: strerror(errno)))")
            }
            done += wrote
        }
    }

    static func fsyncFile(_ fd: Int32, _ path: String) throws(TrustStoreError) {
        try call("fsync", path) { fsync(fd) }
    }

    /// fsync on the directory makes a rename inside it durable.
    static func fsyncDirectory(_ path: String) throws(TrustStoreError) {
        let fd = try call("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try call("fsync", path) { fsync(fd) }
    }

    static func rename(_ from: String, _ to: String) throws(TrustStoreError) {
        try call("rename", "\(from) -> \(to)") { Glibc.rename(from, to) }
    }

    static func createDirectory(_ path: String) throws(TrustStoreError) {
        if mkdir(path, 0o750) != 0, errno != EEXIST {
            throw TrustStoreError(.systemCall, "mkdir(\(path)): \(String(cString: strerror(errno)))")
        }
    }
}
