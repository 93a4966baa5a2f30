import SystemPackage

/// The one error of the system-call layer: which call failed, on what, and why.
///
/// Each module maps it to its own error type at its boundary; `description` is the plain form,
/// e.g. `open(/etc/gatecheck.conf): No such file or directory`.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The call failed with this errno.
        case errno(Errno)
        /// fstat found a directory, device, FIFO or socket where a regular file was wanted.
        case notRegularFile
        /// fstat found something other than a block device where one was wanted.
        case notBlockDevice
        /// The file holds more than `limit` bytes: `size` from fstat, or nil when it grew while being read.
        case largerThan(limit: Int, size: Int?)
        /// The file ended before the bytes asked for, at this offset.
        case endedEarly(at: Int)
        /// A write or send moved only part of the bytes (sysfs and datagrams take all or nothing).
        case partial(done: Int, of: Int)
        /// A directory on the way to the file is a symbolic link or not a directory.
        case symbolicLinkInPath(component: String)
    }

    /// The system call, e.g. "open", "fstat", "VIDIOC_DQBUF".
    public let call: String
    /// What it was about: a path, a socket name, or "from -> to" for rename.
    public let subject: String
    public let reason: Reason

    public init(_ call: String, _ subject: String, _ reason: Reason) {
        self.call = call
        self.subject = subject
        self.reason = reason
    }

    public init(_ call: String, _ subject: String, errno: Errno) {
        self.init(call, subject, .errno(errno))
    }

    /// The errno, when the call itself failed.
    public var errno: Errno? {
        if case .errno(let code) = reason { return code }
        return nil
    }

    /// What went wrong without the call and subject, e.g. "No such file or directory".
    public var reasonText: String {
        switch reason {
        case .errno(let code): code.description
        case .notRegularFile: "not a regular file"
        case .notBlockDevice: "not a block device"
        case .largerThan(let limit, let size?): "\(size) bytes exceeds the limit of \(limit)"
        case .largerThan(let limit, nil): "grew beyond the limit of \(limit) bytes while being read"
        case .endedEarly(let offset): "ended early at byte \(offset)"
        case .partial(let done, let total): "moved \(done) of \(total) bytes"
        case .symbolicLinkInPath(let component): "\(component) is a symbolic link or not a directory"
        }
    }

    public var description: String { "\(call)(\(subject)): \(reasonText)" }
}

extension SystemCallError {
    /// Runs `body` and turns its failure into a module's own error: how each module maps the layer at its boundary.
    @discardableResult
    public static func mapping<Result, Failure: Error>(
        _ transform: (SystemCallError) -> Failure, _ body: () throws(SystemCallError) -> Result
    ) throws(Failure) -> Result {
        do {
            return try body()
        } catch {
            throw transform(error)
        }
    }
}
