#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Files and directories: swift-system's `FileDescriptor` and `Stat` where it has them, our own calls for
/// the rest (openat walking, fsync, rename, mkdir, flock, readdir). Every error names the call and the path.
public enum Files {
    /// Runs a swift-system call (which retries EINTR itself) and names its failure.
    static func naming<Result>(_ call: String, _ subject: String, _ body: () throws -> Result) throws(SystemCallError) -> Result {
        do {
            return try body()
        } catch let code as Errno {
            throw SystemCallError(call, subject, errno: code)
        } catch {
            throw SystemCallError(call, subject, errno: .ioError)  // swift-system throws only Errno
        }
    }

    // MARK: Opening

    /// open(2); `permissions` only with `.create`.
    public static func open(
        _ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions? = nil
    ) throws(SystemCallError) -> FileDescriptor {
        try naming("open", path) {
            try FileDescriptor.open(FilePath(path), mode, options: options, permissions: permissions, retryOnInterrupt: true)
        }
    }

    /// Opens a regular file for reading, refusing devices, FIFOs and directories before anything is read.
    /// Non-blocking, so a FIFO cannot hang the open; `options` adds e.g. `.noFollow`.
    public static func openRegularFile(_ path: String, options: FileDescriptor.OpenOptions = []) throws(SystemCallError) -> FileDescriptor {
        try regularFileOrClosed(open(path, .readOnly, options: options.union([.closeOnExec, .nonBlocking])), path)
    }

    /// Like `openRegularFile` with `.noFollow`, but no component of the path may be a symlink: each
    /// directory is opened with O_NOFOLLOW relative to the one before (removable media can hold links).
    public static func openRegularFileWithoutSymlinks(_ path: String) throws(SystemCallError) -> FileDescriptor {
        let components = path.split(separator: "/").map(String.init)
        guard let last = components.last, !components.contains(".."), !components.contains(".") else {
            throw SystemCallError("open", path, errno: .invalidArgument)
        }
        var directory = try naming("open", path) {
            try FileDescriptor.open(path.hasPrefix("/") ? "/" : ".", .readOnly, options: [.directory, .closeOnExec], retryOnInterrupt: true)
        }
        for component in components.dropLast() {
            let next: FileDescriptor
            do {
                next = try openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, subject: "\(path), \(component)")
            } catch {
                SystemCall.close(directory)
                if error.errno == .tooManySymbolicLinkLevels || error.errno == .notDirectory {
                    throw SystemCallError("openat", path, .symbolicLinkInPath(component: component))
                }
                throw error
            }
            SystemCall.close(directory)
            directory = next
        }
        defer { SystemCall.close(directory) }
        return try regularFileOrClosed(openat(directory, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, subject: path), path)
    }

    /// Opens a block device read-only (O_NOFOLLOW, O_CLOEXEC; non-blocking, so a FIFO swapped in cannot
    /// hang the open) and refuses anything fstat does not call a block device before anything is read.
    public static func openBlockDevice(_ path: String) throws(SystemCallError) -> FileDescriptor {
        try ofTypeOrClosed(open(path, .readOnly, options: [.noFollow, .closeOnExec, .nonBlocking]), path, .blockSpecial, otherwise: .notBlockDevice)
    }

    /// openat(2) without creating anything.
    static func openat(_ directory: FileDescriptor, _ name: String, _ flags: Int32, subject: String) throws(SystemCallError) -> FileDescriptor {
        FileDescriptor(rawValue: try SystemCall.retrying("openat", subject) { systemOpenat(directory.rawValue, name, flags) })
    }

    // MARK: Status

    /// fstat(2).
    public static func status(_ descriptor: FileDescriptor, _ subject: String) throws(SystemCallError) -> Stat {
        do {
            return try descriptor.stat(retryOnInterrupt: true)
        } catch {
            throw SystemCallError("fstat", subject, errno: error)
        }
    }

    /// stat(2), or lstat(2) when `followLinks` is false.
    public static func status(_ path: String, followLinks: Bool = true) throws(SystemCallError) -> Stat {
        do {
            return try FilePath(path).stat(followTargetSymlink: followLinks, retryOnInterrupt: true)
        } catch {
            throw SystemCallError(followLinks ? "stat" : "lstat", path, errno: error)
        }
    }

    /// Whether something exists at `path`, following symlinks (sysfs class entries are links).
    public static func exists(_ path: String) -> Bool {
        (try? status(path)) != nil
    }

    /// `descriptor` when it is a regular file; otherwise it is closed and the refusal thrown.
    static func regularFileOrClosed(_ descriptor: FileDescriptor, _ path: String) throws(SystemCallError) -> FileDescriptor {
        try ofTypeOrClosed(descriptor, path, .regular, otherwise: .notRegularFile)
    }

    /// `descriptor` when fstat gives `type`; otherwise it is closed and `reason` thrown.
    static func ofTypeOrClosed(
        _ descriptor: FileDescriptor, _ path: String, _ type: FileType, otherwise reason: SystemCallError.Reason
    ) throws(SystemCallError) -> FileDescriptor {
        do throws(SystemCallError) {
            guard try status(descriptor, path).type == type else {
                throw SystemCallError("fstat", path, reason)
            }
            return descriptor
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    // MARK: Reading

    /// read(2) once into `buffer`; 0 at end of file.
    public static func read(_ descriptor: FileDescriptor, _ subject: String, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        try naming("read", subject) { try descriptor.read(into: buffer, retryOnInterrupt: true) }
    }

    /// Reads until end of file or until `count` bytes arrived.
    /// The buffer starts at `expected` bytes (at most `count`) and doubles as bytes arrive, so a generous `count`
    /// costs a small file nothing.
    public static func read(
        _ descriptor: FileDescriptor, _ subject: String, upTo count: Int, expected: Int = 64 * 1024
    ) throws(SystemCallError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(count, max(expected, 1)))
        var done = 0
        while done < count {
            if done == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(count, 2 * bytes.count) - bytes.count))
            }
            let got = try withMutableBytes(of: &bytes) { (buffer) throws(SystemCallError) -> Int in
                try read(descriptor, subject, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            }
            if got == 0 { break }
            done += got
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// Everything up to end of file; more than `limit` bytes is `largerThan` (one spare byte tells, so a
    /// file that grows is never read whole).
    /// `expected`: the size the caller expects (a file's fstat size), read in one go.
    public static func readToEnd(
        _ descriptor: FileDescriptor, _ subject: String, limit: Int, expected: Int = 64 * 1024
    ) throws(SystemCallError) -> [UInt8] {
        let bytes = try read(descriptor, subject, upTo: limit + 1, expected: expected)
        guard bytes.count <= limit else { throw SystemCallError("read", subject, .largerThan(limit: limit, size: nil)) }
        return bytes
    }

    /// A whole regular file of at most `limit` bytes, checked from fstat and again while reading.
    /// `options` adds e.g. `.noFollow`.
    public static func readRegularFile(_ path: String, limit: Int, options: FileDescriptor.OpenOptions = []) throws(SystemCallError) -> [UInt8] {
        let descriptor = try openRegularFile(path, options: options)
        defer { SystemCall.close(descriptor) }
        let size = Int(try status(descriptor, path).size)
        guard size <= limit else { throw SystemCallError("fstat", path, .largerThan(limit: limit, size: size)) }
        // Its size and the spare byte: a file of the size fstat gave is read in one buffer, however large the limit.
        return try readToEnd(descriptor, path, limit: limit, expected: size + 1)
    }

    /// Exactly `count` bytes at `offset` (pread); a shorter file is `endedEarly`.
    public static func read(_ descriptor: FileDescriptor, _ subject: String, offset: Int, count: Int) throws(SystemCallError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = try withMutableBytes(of: &bytes) { (buffer) throws(SystemCallError) -> Int in
                try naming("pread", subject) {
                    try descriptor.read(
                        fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]),
                        retryOnInterrupt: true)
                }
            }
            guard got > 0 else { throw SystemCallError("pread", subject, .endedEarly(at: offset + done)) }
            done += got
        }
        return bytes
    }

    /// The size of an open file or block device, from lseek(2) to its end (fstat says 0 for a device).
    public static func endOffset(_ descriptor: FileDescriptor, _ subject: String) throws(SystemCallError) -> Int {
        Int(try naming("lseek", subject) { try descriptor.seek(offset: 0, from: .end) })
    }

    /// lseek(2) back to the first byte.
    public static func rewind(_ descriptor: FileDescriptor, _ subject: String) throws(SystemCallError) {
        _ = try naming("lseek", subject) { try descriptor.seek(offset: 0, from: .start) }
    }

    // MARK: Writing

    /// write(2) once; returns how many bytes went out.
    public static func write(_ descriptor: FileDescriptor, _ subject: String, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> Int {
        try naming("write", subject) { try descriptor.write(bytes, retryOnInterrupt: true) }
    }

    /// Writes every byte, however many calls it takes.
    public static func writeAll<Bytes: Collection<UInt8>>(_ descriptor: FileDescriptor, _ subject: String, _ bytes: Bytes) throws(SystemCallError) {
        let contiguous = Array(bytes)
        var done = 0
        while done < contiguous.count {
            let wrote = try withBytes(of: contiguous) { (buffer) throws(SystemCallError) -> Int in
                try write(descriptor, subject, UnsafeRawBufferPointer(rebasing: buffer[done...]))
            }
            guard wrote > 0 else { throw SystemCallError("write", subject, .partial(done: done, of: contiguous.count)) }
            done += wrote
        }
    }

    /// fsync(2).
    public static func sync(_ descriptor: FileDescriptor, _ subject: String) throws(SystemCallError) {
        try SystemCall.retrying("fsync", subject) { fsync(descriptor.rawValue) }
    }

    /// fsync on a directory makes a rename inside it durable.
    public static func syncDirectory(_ path: String) throws(SystemCallError) {
        let descriptor = try open(path, .readOnly, options: [.directory, .closeOnExec])
        defer { SystemCall.close(descriptor) }
        try sync(descriptor, path)
    }

    /// fchmod(2): the mode exactly, whatever the umask.
    public static func setPermissions(_ descriptor: FileDescriptor, _ subject: String, _ permissions: FilePermissions) throws(SystemCallError) {
        try SystemCall.retrying("fchmod", subject) { fchmod(descriptor.rawValue, permissions.rawValue) }
    }

    /// chmod(2).
    public static func setPermissions(_ path: String, _ permissions: FilePermissions) throws(SystemCallError) {
        try SystemCall.retrying("chmod", path) { chmod(path, permissions.rawValue) }
    }

    /// flock(2) exclusive, waiting for other holders.
    public static func lockExclusively(_ descriptor: FileDescriptor, _ subject: String) throws(SystemCallError) {
        try SystemCall.retrying("flock", subject) { flock(descriptor.rawValue, LOCK_EX) }
    }

    /// A lock file: opens (creating if needed, never through a symlink) `path` and takes an exclusive flock
    /// on it, waiting for other holders. Closing the descriptor releases it.
    public static func openLocked(_ path: String) throws(SystemCallError) -> FileDescriptor {
        let descriptor = try open(path, .readWrite, options: [.create, .noFollow, .closeOnExec], permissions: [.ownerReadWrite, .groupRead])
        do {
            try lockExclusively(descriptor, path)
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        return descriptor
    }

    // MARK: Names

    /// rename(2), within one file system.
    public static func rename(_ from: String, _ to: String) throws(SystemCallError) {
        try SystemCall.retrying("rename", "\(from) -> \(to)") { systemRename(from, to) }
    }

    /// mkdir(2); an existing entry is fine.
    public static func createDirectory(_ path: String, permissions: FilePermissions) throws(SystemCallError) {
        do {
            try SystemCall.retrying("mkdir", path) { mkdir(path, permissions.rawValue) }
        } catch where error.errno == .fileExists {
            return
        }
    }

    /// unlink(2).
    public static func remove(_ path: String) throws(SystemCallError) {
        try SystemCall.retrying("unlink", path) { unlink(path) }
    }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func listDirectory(_ path: String) throws(SystemCallError) -> [String] {
        let directory = try SystemCall.retrying("opendir", path, pointer: { opendir(path) })
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

/// Outside the enum, whose methods would shadow the C names.
private func systemOpenat(_ directory: Int32, _ name: String, _ flags: Int32) -> Int32 {
    openat(directory, name, flags)
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
