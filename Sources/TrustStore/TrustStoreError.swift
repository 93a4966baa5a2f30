// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the trust store. `code` is stable (logs, exit reasons, tests);
/// `detail` says what happened, naming the file or system call, never personal data.
public struct TrustStoreError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case tooLarge = "too-large"
            case malformed = "malformed"
            case unknownSigner = "unknown-signer"
            case signerExpired = "signer-expired"
            case badSignature = "bad-signature"
            case rollback = "rollback"
            case hashMismatch = "hash-mismatch"
            case badContents = "bad-contents"
            case unsafeFile = "unsafe-file"
            case notInstalled = "not-installed"
            case systemCall = "system-call"
            case badInput = "bad-input"
            case badVolume = "bad-volume"
            case noBundle = "no-bundle"
            case noSpace = "no-space"
            case readOnly = "read-only"
            case deltaBaseMismatch = "delta-base-mismatch"
        }
        fileprivate let value: Value

        /// A size cap was exceeded (file, section, count).
        public static let tooLarge = Code(value: .tooLarge)
        /// The bundle's framing or manifest is not what the format says.
        public static let malformed = Code(value: .malformed)
        /// The signer's certificate does not chain to a pinned anchor.
        public static let unknownSigner = Code(value: .unknownSigner)
        /// The signer's (or a chain) certificate is outside its validity.
        public static let signerExpired = Code(value: .signerExpired)
        /// The manifest's signature does not verify.
        public static let badSignature = Code(value: .badSignature)
        /// The sequence number is not above the installed one.
        public static let rollback = Code(value: .rollback)
        /// A section does not match the hash the manifest gives for it.
        public static let hashMismatch = Code(value: .hashMismatch)
        /// A section's contents do not parse (signers, revocation tables).
        public static let badContents = Code(value: .badContents)
        /// A symlink, device, FIFO or other non-regular file where a bundle was expected.
        public static let unsafeFile = Code(value: .unsafeFile)
        /// No trust store is installed in the state directory.
        public static let notInstalled = Code(value: .notInstalled)
        /// A system call failed (its name is in the detail).
        public static let systemCall = Code(value: .systemCall)
        /// Back-office input (certificates, lists, keys) could not be used.
        public static let badInput = Code(value: .badInput)
        /// A USB stick's filesystem is not a FAT volume we read: boot sector, FAT, cluster chain or root directory.
        public static let badVolume = Code(value: .badVolume)
        /// A USB stick's root directory holds no plain file named `gatecheck-trust.bundle`.
        public static let noBundle = Code(value: .noBundle)
        /// The state partition is full (ENOSPC, EDQUOT): nothing was changed.
        public static let noSpace = Code(value: .noSpace)
        /// The state directory is on a read-only file system (EROFS): nothing was changed.
        public static let readOnly = Code(value: .readOnly)
        /// A delta bundle whose base is not the installed full bundle: the device needs the full bundle.
        public static let deltaBaseMismatch = Code(value: .deltaBaseMismatch)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
