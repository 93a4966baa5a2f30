// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the lamps module. `code` is stable (logs, the fault lamp, tests);
/// `detail` names the file or system call involved.
public struct LampError: CodedError {
    /// A stable reason; a struct over a private enum so that new codes do not break clients.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case notFound = "not-found"
            case permissionDenied = "permission-denied"
            case readFailed = "read-failed"
            case writeFailed = "write-failed"
            case unexpectedContent = "unexpected-content"
            case badConfiguration = "bad-configuration"
        }
        fileprivate let value: Value

        /// A sysfs file, LED or GPIO chip does not exist (overlay not loaded, wrong name or label).
        public static let notFound = Code(value: .notFound)
        /// The file exists but may not be opened (missing udev rule or `gpio` group).
        public static let permissionDenied = Code(value: .permissionDenied)
        /// Reading a sysfs file failed (the call is named in the detail).
        public static let readFailed = Code(value: .readFailed)
        /// Writing a sysfs file failed (the call is named in the detail).
        public static let writeFailed = Code(value: .writeFailed)
        /// A sysfs file held something other than what the kernel ABI promises (e.g. a non-numeric `base`).
        public static let unexpectedContent = Code(value: .unexpectedContent)
        /// The lamp configuration cannot work (offset beyond the chip, empty name, non-positive period).
        public static let badConfiguration = Code(value: .badConfiguration)

        public var description: String { value.rawValue }
    }

    /// The stable reason.
    public let code: Code
    /// What happened, naming the file or call; for people, not for matching.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
