// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of fetching trust over HTTPS. `code` is stable (exit reasons, the fetch-state file,
/// Prometheus, tests); `detail` says what happened, naming the URL or the system call. A download that
/// arrived but was refused by the import is a `TrustStoreError` instead, with the USB stick's codes.
public struct TrustUpdateError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case badURL = "fetch-bad-url"
            case connect = "fetch-connect"
            case timeout = "fetch-timeout"
            case tls = "fetch-tls"
            case insecureRedirect = "fetch-insecure-redirect"
            case tooManyRedirects = "fetch-too-many-redirects"
            case httpStatus = "fetch-http-status"
            case tooLarge = "fetch-too-large"
            case truncated = "fetch-truncated"
            case failed = "fetch-failed"
            case systemCall = "fetch-system-call"
        }
        fileprivate let value: Value

        /// The URL is not an https:// URL with a host.
        public static let badURL = Code(value: .badURL)
        /// The host could not be resolved or reached, or the connection broke.
        public static let connect = Code(value: .connect)
        /// The connect, a too slow transfer (the low-speed limit) or the whole transfer took too long.
        public static let timeout = Code(value: .timeout)
        /// TLS failed: the server's certificate is not trusted (system CA store or the pinned CA file) or the handshake broke.
        public static let tls = Code(value: .tls)
        /// A redirect pointed to something other than https://.
        public static let insecureRedirect = Code(value: .insecureRedirect)
        /// More redirects than allowed.
        public static let tooManyRedirects = Code(value: .tooManyRedirects)
        /// The final response was neither 200 nor 304.
        public static let httpStatus = Code(value: .httpStatus)
        /// The body is (or announced itself as) larger than the cap.
        public static let tooLarge = Code(value: .tooLarge)
        /// The body ended before its Content-Length.
        public static let truncated = Code(value: .truncated)
        /// Any other transfer failure (libcurl's message is in the detail).
        public static let failed = Code(value: .failed)
        /// A system call failed (temporary file, lock, write); its name is in the detail.
        public static let systemCall = Code(value: .systemCall)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
