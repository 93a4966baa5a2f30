// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the AdmissionRules module.
///
/// Rule files arrive on USB sticks, so every way a rule, value set, rule test or file can be wrong
/// ends here, and the caller refuses the whole set. `code` is stable and meant for programs; `detail`
/// names the file, rule or field for people and never holds credential data.
public struct AdmissionRulesError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case invalidJSON = "invalid-json"
            case invalidRule = "invalid-rule"
            case invalidIdentifier = "invalid-identifier"
            case invalidValidityPeriod = "invalid-validity-period"
            case unsupportedEngine = "unsupported-engine"
            case invalidLogic = "invalid-logic"
            case affectedFieldsMismatch = "affected-fields-mismatch"
            case invalidRuleSet = "invalid-rule-set"
            case duplicateRule = "duplicate-rule"
            case inconsistentVersions = "inconsistent-versions"
            case invalidValueSets = "invalid-value-sets"
            case invalidTest = "invalid-test"
            case unreadableFile = "unreadable-file"
            case fileTooLarge = "file-too-large"
            case tooManyFiles = "too-many-files"
        }
        fileprivate let value: Value

        /// A file is not JSON (or breaks the JSON limits).
        public static let invalidJSON = Code(value: .invalidJSON)
        /// A rule breaks the EU gateway's rule schema: a missing, unknown or mistyped member, a pattern
        /// or enumeration not met, a description too short or no English one.
        public static let invalidRule = Code(value: .invalidRule)
        /// The `Identifier` disagrees with the rule: its prefix with `CertificateType` or `Type`
        /// (`IR` exactly for invalidation rules), or its country with `Country` (gateway constraints).
        public static let invalidIdentifier = Code(value: .invalidIdentifier)
        /// `ValidFrom`/`ValidTo` are not real instants, or the period is not at least 72 hours long.
        public static let invalidValidityPeriod = Code(value: .invalidValidityPeriod)
        /// `Engine` is not `CERTLOGIC`, or `EngineVersion` is outside what this engine implements.
        public static let unsupportedEngine = Code(value: .unsupportedEngine)
        /// `Logic` is not a valid CertLogic expression (or exceeds the CertLogic limits).
        public static let invalidLogic = Code(value: .invalidLogic)
        /// `AffectedFields` is not exactly the set of `payload.` fields the logic reads.
        public static let affectedFieldsMismatch = Code(value: .affectedFieldsMismatch)
        /// A rule set is not an array of rule objects.
        public static let invalidRuleSet = Code(value: .invalidRuleSet)
        /// Two rules with the same `Identifier` and `Version`.
        public static let duplicateRule = Code(value: .duplicateRule)
        /// A higher `Version` of a rule starts before a lower one (the gateway refuses such uploads).
        public static let inconsistentVersions = Code(value: .inconsistentVersions)
        /// Value sets are not an object mapping names to arrays of string codes.
        public static let invalidValueSets = Code(value: .invalidValueSets)
        /// A rule test file does not have the rule-test format.
        public static let invalidTest = Code(value: .invalidTest)
        /// A file or folder could not be opened or listed, or is a symbolic link below the given path.
        public static let unreadableFile = Code(value: .unreadableFile)
        /// A file is larger than `RuleFiles.Limits.maxFileBytes`.
        public static let fileTooLarge = Code(value: .fileTooLarge)
        /// A folder tree holds more entries, or nests deeper, than `RuleFiles.Limits` allows.
        public static let tooManyFiles = Code(value: .tooManyFiles)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The file, rule or field concerned; never payload values.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The same error with `context` (a file or rule) put in front of the detail.
    func within(_ context: String) -> AdmissionRulesError {
        AdmissionRulesError(code, "\(context): \(detail)")
    }
}
