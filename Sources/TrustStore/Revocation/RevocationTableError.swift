// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// Why a revocation table could not be built, mapped or validated.
///
/// Callers branch on `code`; `detail` names the failing call or entry and is for logs only.
public struct RevocationTableError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case unreadable
            case notARegularFile = "not-a-regular-file"
            case outOfRange = "out-of-range"
            case notSorted = "not-sorted"
            case badEntryLength = "bad-entry-length"
            case mapFailed = "map-failed"
        }
        fileprivate let value: Value

        /// `open` or `fstat` failed, including a symlink refused by `O_NOFOLLOW` (ELOOP).
        public static let unreadable = Code(value: .unreadable)
        /// The path is a directory, FIFO, device or socket: only regular files are mapped.
        public static let notARegularFile = Code(value: .notARegularFile)
        /// A negative offset or count, an overflowing size, or a region that ends past the end of the file.
        public static let outOfRange = Code(value: .outOfRange)
        /// Entries are not strictly ascending (unsorted or duplicated), so a search could miss a revoked hash.
        public static let notSorted = Code(value: .notSorted)
        /// A hash or a table whose length is not a whole number of 16-byte entries.
        public static let badEntryLength = Code(value: .badEntryLength)
        /// `mmap` or `madvise` failed.
        public static let mapFailed = Code(value: .mapFailed)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// Human-readable reason: the failing call with its errno, or the offending entry index.
    public let detail: String

    init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
