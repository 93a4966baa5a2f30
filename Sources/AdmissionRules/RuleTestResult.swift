import CertLogic
import JSON

/// One rule test's result, for `gatecheck rules test` and the corpus test.
public struct RuleTestResult: Sendable, Hashable {
    /// What running the test gave.
    public enum Got: Sendable, Hashable {
        /// The logic's value (the test agrees when it is exactly the expected boolean).
        case value(JSONValue)
        /// Evaluation raised an error: never agrees, as in the EU tooling.
        case error(CertLogicError)
        /// `external.validationClock` lies outside the rule's validity period, so the test cannot
        /// pertain to the rule; the EU tooling fails such a test.
        case outsideValidity
    }

    public let ruleIdentifier: String
    /// The test's `name`, or its file name when it has none.
    public let testName: String
    /// The test file's path.
    public let file: String
    public let expected: Bool
    public let got: Got

    /// Whether the rule gave exactly the expected boolean. Stricter than the EU tooling's loose
    /// `deep-equal` (where `1` equals `true`), because a gate admits only on an exact `true`.
    public var agrees: Bool { got == .value(.bool(expected)) }
}
