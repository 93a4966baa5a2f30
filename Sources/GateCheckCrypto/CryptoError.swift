// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The single error type thrown by GateCheckCrypto.
///
/// Callers branch on ``code``; the ``description`` carries the code and a human-readable reason, plain text
/// that may reach users. Where the error was raised is kept for debugging only, in ``location`` and
/// ``debugDescription``.
public struct CryptoError: CodedError, CustomDebugStringConvertible {
    /// What went wrong, as an open set of static constants.
    ///
    /// A struct wrapping a file-private enum (rather than a public enum) so new codes can be added
    /// without breaking clients that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: Hashable, Sendable {
            case malformedCertificate
            case trailingData
            case malformedKey
            case unsupportedKey
            case inputTooLarge
            case signingFailed
            case certificateCreationFailed
            case internalFailure
            case malformedCMS
            case untrustedSigner
            case signerCertificateExpired
            case signatureInvalid
        }

        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) {
            self.backing = backing
        }

        /// The bytes are not a parseable X.509 certificate, or a field the wrapper relies on
        /// (validity dates, extended key usage) is present but malformed.
        public static let malformedCertificate = Code(.malformedCertificate)
        /// A DER structure parsed, but bytes followed it. Rejected so one input has exactly one meaning.
        public static let trailingData = Code(.trailingData)
        /// The bytes are not a parseable public or private key.
        public static let malformedKey = Code(.malformedKey)
        /// The key parsed but its type or size is not one this wrapper can use for the requested operation.
        public static let unsupportedKey = Code(.unsupportedKey)
        /// The input exceeds the size cap for its kind; refused before any parsing.
        public static let inputTooLarge = Code(.inputTooLarge)
        /// Producing a signature failed.
        public static let signingFailed = Code(.signingFailed)
        /// Building or signing a certificate failed (for example an invalid OID or country code).
        public static let certificateCreationFailed = Code(.certificateCreationFailed)
        /// OpenSSL failed in a way that does not depend on the input (for example memory allocation).
        public static let internalFailure = Code(.internalFailure)
        /// The bytes are not a detached CMS SignedData of the shape GateCheck accepts (exactly one signer), or
        /// an embedded certificate does not parse.
        public static let malformedCMS = Code(.malformedCMS)
        /// The CMS signer is not known: its certificate is not embedded, or it does not chain to a trust anchor.
        public static let untrustedSigner = Code(.untrustedSigner)
        /// The signer's certificate path reaches an anchor, but a certificate in it is expired or not yet valid
        /// at the verification time.
        public static let signerCertificateExpired = Code(.signerCertificateExpired)
        /// The signer is trusted, but the signature does not match the content (tampered content or signature).
        public static let signatureInvalid = Code(.signatureInvalid)

        /// The code's name, e.g. `trailingData`.
        public var description: String {
            String(describing: backing)
        }
    }

    /// The machine-readable kind of failure.
    public let code: Code

    /// The human-readable reason (may be empty).
    public let detail: String
    /// Where the error was raised (`GateCheckCrypto/PublicKey.swift:42`): for debugging, never shown to users.
    public let location: String

    /// Creates an error. Internal: only this module raises `CryptoError`s.
    @inline(never)
    init(_ code: Code, reason: String = "", fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.detail = reason
        self.location = "\(fileID):\(line)"
    }

    /// `<code>: <reason>` (or just `<code>`), for people: no type name, no source location.
    public var description: String {
        detail.isEmpty ? "\(code)" : "\(code): \(detail)"
    }

    /// `CryptoError.<code>: <reason> (<file>:<line>)`, for debug logs and `--verbose`.
    public var debugDescription: String {
        detail.isEmpty ? "CryptoError.\(code) (\(location))" : "CryptoError.\(code): \(detail) (\(location))"
    }
}
