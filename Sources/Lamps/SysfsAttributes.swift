import SystemCalls
import SystemPackage

/// Reading and writing sysfs attribute files through the system-call layer; a failure becomes a
/// `LampError` that names the call and the path.
enum SysfsAttributes {
    /// Upper bound for reading a sysfs attribute; the kernel serves at most a page.
    static let maxAttributeSize = 4096

    /// Maps a system-call failure to a lamp error: missing is `notFound`, refused is `permissionDenied`.
    static func error(_ failure: SystemCallError, fallback: LampError.Code) -> LampError {
        switch failure.errno {
        case .noSuchFileOrDirectory?, .notDirectory?, .operationNotSupportedByDevice?: LampError(.notFound, failure.description)
        case .permissionDenied?, .notPermitted?: LampError(.permissionDenied, failure.description)
        default: LampError(fallback, failure.description)
        }
    }

    /// Reads a small attribute file and returns its text without the trailing newline.
    static func read(_ path: String) throws(LampError) -> String {
        do {
            let descriptor = try Files.open(path, .readOnly, options: .closeOnExec)
            defer { SystemCall.close(descriptor) }
            let bytes = try Files.read(descriptor, path, upTo: maxAttributeSize)
            return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        } catch {
            throw Self.error(error, fallback: .readFailed)
        }
    }

    /// Writes `text` to an existing attribute file in one `write`, as sysfs expects.
    ///
    /// The file is never created (a missing attribute is `notFound`, not a new file in a test tree), and
    /// O_TRUNC keeps plain test files exact while sysfs ignores it. Returns the errno of a failed write
    /// when it is listed in `tolerating` (e.g. EBUSY from `export`), otherwise throws.
    @discardableResult
    static func write(_ path: String, _ text: String, tolerating: Set<Errno> = []) throws(LampError) -> Errno? {
        let descriptor: FileDescriptor
        do {
            descriptor = try Files.open(path, .writeOnly, options: [.truncate, .closeOnExec, .noFollow])
        } catch {
            throw Self.error(error, fallback: .writeFailed)
        }
        defer { SystemCall.close(descriptor) }
        let bytes = Array(text.utf8)
        let wrote: Int
        do {
            wrote = try withBytes(of: bytes) { (buffer) throws(SystemCallError) -> Int in try Files.write(descriptor, path, buffer) }
        } catch {
            if let code = error.errno, tolerating.contains(code) { return code }
            throw Self.error(error, fallback: .writeFailed)
        }
        // A sysfs store takes the whole buffer or fails; a short write means something else is there.
        guard wrote == bytes.count else {
            throw LampError(.writeFailed, "write(\(path)): wrote \(wrote) of \(bytes.count) bytes")
        }
        return nil
    }

    /// The names in a directory, without `.` and `..`, sorted.
    static func list(_ path: String) throws(LampError) -> [String] {
        do {
            return try Files.listDirectory(path)
        } catch {
            throw Self.error(error, fallback: .readFailed)
        }
    }

    /// `relative` (e.g. "class/leds") under the sysfs directory, without doubled slashes.
    static func path(_ sysfs: String, _ relative: String) -> String {
        var trimmed = sysfs
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed == "/" ? "/" + relative : trimmed + "/" + relative
    }
}
