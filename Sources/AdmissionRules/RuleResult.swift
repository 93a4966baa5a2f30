import CertLogic

/// What one rule said about one credential.
public struct RuleResult: Sendable, Hashable {
    /// Only `passed` admits; everything else refuses, since a wrong pass is the worst outcome.
    public enum Verdict: Sendable, Hashable {
        /// The logic evaluated to exactly `true`.
        case passed
        /// The logic evaluated to exactly `false`.
        case failed
        /// Evaluation raised an error, or gave something other than a boolean (`type-mismatch`):
        /// DGCA's engine casts the result to a boolean and reports the rule open when that fails.
        case error(CertLogicError)
        /// The credential's schema version (`ver`) is missing, of another major version, or older than
        /// the rule's `SchemaVersion`; DGCA does not run such a rule and reports it open.
        case incompatibleSchemaVersion
    }

    public let identifier: String
    public let version: SemanticVersion
    public let verdict: Verdict

    public init(identifier: String, version: SemanticVersion, verdict: Verdict) {
        self.identifier = identifier
        self.version = version
        self.verdict = verdict
    }
}
