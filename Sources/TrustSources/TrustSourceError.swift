// Re-exported: this error's equality comes from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// Why a trust source could not be read. The path is part of the message, never of the code.
public struct TrustSourceError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case unreadable, tooLarge = "too-large", unrecognisedFormat = "unrecognised-format"
            case badCertificate = "bad-certificate", listRefused = "list-refused", badKey = "bad-key", badRule = "bad-rule"
            case badFilter = "bad-filter"
        }
        fileprivate let value: Value
        public static let unreadable = Code(value: .unreadable)
        public static let tooLarge = Code(value: .tooLarge)
        /// Neither PEM certificates, a DER certificate nor a signed DSC list.
        public static let unrecognisedFormat = Code(value: .unrecognisedFormat)
        public static let badCertificate = Code(value: .badCertificate)
        /// A signed list whose signature failed, or that had no key to check it.
        public static let listRefused = Code(value: .listRefused)
        public static let badKey = Code(value: .badKey)
        /// An admission rule or value set among the trust files that a device would refuse.
        public static let badRule = Code(value: .badRule)
        /// A country filter that is not an alpha-2 or alpha-3 code.
        public static let badFilter = Code(value: .badFilter)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let path: String
    public let detail: String

    init(_ code: Code, path: String, _ detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
