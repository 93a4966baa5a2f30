import SystemCalls
import SystemPackage

/// The trust store's file operations on the system-call layer; a failure becomes a `TrustStoreError`
/// that names the call and the path: `unsafeFile` for links and non-regular files, `systemCall` otherwise.
enum TrustFiles {
    static func error(_ failure: SystemCallError) -> TrustStoreError {
        // The two a field device meets on its state partition get their own codes, for the import's outcome and the logs.
        switch failure.errno {
        case .noSpace?, .diskQuotaExceeded?: TrustStoreError(.noSpace, failure.description)
        case .readOnlyFileSystem?: TrustStoreError(.readOnly, failure.description)
        default: TrustStoreError(.systemCall, failure.description)
        }
    }

    /// Runs a layer call, mapping its failure with `error(_:)`.
    @discardableResult
    static func mapped<Result>(_ body: () throws(SystemCallError) -> Result) throws(TrustStoreError) -> Result {
        try SystemCallError.mapping(error, body)
    }

    /// Opens a regular file for reading without following a symlink at the last component, and
    /// refuses devices, FIFOs and directories before anything is read.
    static func openRegularFileForReading(_ path: String) throws(TrustStoreError) -> Int32 {
        do {
            return try Files.openRegularFile(path, options: .noFollow).rawValue
        } catch {
            throw unsafeOrSystem(path, error)
        }
    }

    /// Like `openRegularFileForReading`, but no component of the path may be a symlink.
    static func openRegularFileWithoutSymlinks(_ path: String) throws(TrustStoreError) -> Int32 {
        let components = path.split(separator: "/")
        guard !components.isEmpty, !components.contains(".."), !components.contains(".") else {
            throw TrustStoreError(.unsafeFile, "\(path): the path must name a file without '.' or '..'")
        }
        do {
            return try Files.openRegularFileWithoutSymlinks(path).rawValue
        } catch {
            if case .symbolicLinkInPath(let component) = error.reason {
                throw TrustStoreError(.unsafeFile, "\(path): \(component) is a symbolic link or not a directory")
            }
            throw unsafeOrSystem(path, error)
        }
    }

    /// Opens a block device read-only, never through a symlink; anything else is `unsafeFile`.
    static func openBlockDevice(_ path: String) throws(TrustStoreError) -> Int32 {
        do {
            return try Files.openBlockDevice(path).rawValue
        } catch {
            if error.reason == .notBlockDevice { throw TrustStoreError(.unsafeFile, "\(path) is not a block device") }
            throw unsafeOrSystem(path, error)
        }
    }

    /// The size of an open block device.
    static func deviceSize(_ fd: Int32, _ path: String) throws(TrustStoreError) -> Int {
        try mapped { () throws(SystemCallError) in try Files.endOffset(FileDescriptor(rawValue: fd), path) }
    }

    private static func unsafeOrSystem(_ path: String, _ failure: SystemCallError) -> TrustStoreError {
        if failure.errno == .tooManySymbolicLinkLevels { return TrustStoreError(.unsafeFile, "\(path) is a symbolic link") }
        if failure.reason == .notRegularFile { return TrustStoreError(.unsafeFile, "\(path) is not a regular file") }
        return error(failure)
    }

    /// Creates a new file for writing; never through a symlink or over an existing file.
    static func createFile(_ path: String, permissions: FilePermissions) throws(TrustStoreError) -> Int32 {
        try mapped { () throws(SystemCallError) in
            try Files.open(path, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: permissions).rawValue
        }
    }

    /// Opens (creating if needed) `path` and takes an exclusive flock on it, waiting for other holders.
    static func lock(_ path: String) throws(TrustStoreError) -> Int32 {
        try mapped { () throws(SystemCallError) in try Files.openLocked(path).rawValue }
    }

    static func close(_ fd: Int32) {
        SystemCall.close(fd)
    }

    static func exists(_ path: String) -> Bool {
        Files.exists(path)
    }

    /// Best effort: a leftover temporary file is cleared at the next install.
    static func removeIfPresent(_ path: String) {
        try? Files.remove(path)
    }

    static func listDirectory(_ path: String) -> [String] {
        (try? Files.listDirectory(path)) ?? []
    }

    static func fileSize(_ fd: Int32, _ path: String) throws(TrustStoreError) -> Int {
        Int(try mapped { () throws(SystemCallError) in try Files.status(FileDescriptor(rawValue: fd), path).size })
    }

    /// Reads exactly `count` bytes at `offset`.
    static func read(_ fd: Int32, _ path: String, offset: Int, count: Int) throws(TrustStoreError) -> [UInt8] {
        do {
            return try Files.read(FileDescriptor(rawValue: fd), path, offset: offset, count: count)
        } catch {
            if case .endedEarly(let position) = error.reason {
                throw TrustStoreError(.malformed, "\(path) ended early at byte \(position)")
            }
            throw Self.error(error)
        }
    }

    /// Up to `buffer.count` bytes from the current position; 0 at end of file.
    static func readSome(_ fd: Int32, _ path: String, into buffer: inout [UInt8]) throws(TrustStoreError) -> Int {
        try mapped { () throws(SystemCallError) in
            try withMutableBytes(of: &buffer) { (bytes) throws(SystemCallError) -> Int in
                try Files.read(FileDescriptor(rawValue: fd), path, into: bytes)
            }
        }
    }

    static func writeAll(_ fd: Int32, _ path: String, _ bytes: ArraySlice<UInt8>) throws(TrustStoreError) {
        try mapped { () throws(SystemCallError) in try Files.writeAll(FileDescriptor(rawValue: fd), path, bytes) }
    }

    static func fsyncFile(_ fd: Int32, _ path: String) throws(TrustStoreError) {
        try mapped { () throws(SystemCallError) in try Files.sync(FileDescriptor(rawValue: fd), path) }
    }

    /// fsync on the directory makes a rename inside it durable.
    static func fsyncDirectory(_ path: String) throws(TrustStoreError) {
        try mapped { () throws(SystemCallError) in try Files.syncDirectory(path) }
    }

    static func rename(_ from: String, _ to: String) throws(TrustStoreError) {
        try mapped { () throws(SystemCallError) in try Files.rename(from, to) }
    }

    static func createDirectory(_ path: String) throws(TrustStoreError) {
        try mapped { () throws(SystemCallError) in try Files.createDirectory(path, permissions: [.ownerReadWriteExecute, .groupReadExecute]) }
    }
}
