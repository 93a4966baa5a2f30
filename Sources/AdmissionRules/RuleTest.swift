import FoundationEssentials
import JSON

/// One rule test in the EU rule-test format (`tests/testNNN.json` beside a `rule.json`):
/// `{name?, payload, expected, external}`, where the rule sees `{payload, external}` as data.
public struct RuleTest: Sendable, Hashable {
    public let name: String?
    /// The DCC JSON. Nil when the file has none: the EU tooling then runs the rule with an undefined
    /// payload, which every `var` reads as `null`, and so do we.
    public let payload: JSONValue?
    /// The rule's expected result.
    public let expected: Bool
    /// Passed to the rule as `external` unchanged (value sets, `validationClock`, …).
    public let external: JSONValue
    /// `external.validationClock`, parsed as certlogic-js does; nil when the test has none. When
    /// present it must lie in the rule's validity period, or the test cannot pertain to the rule.
    public let validationClock: Date?

    static let members: Set<String> = ["name", "payload", "expected", "external", "validationClock", "message"]

    public init(json: JSONValue) throws(AdmissionRulesError) {
        let reader = try RuleReader(json, code: .invalidTest, what: "the test")
        try reader.onlyMembers(Self.members)
        name = try reader.optionalString("name")
        _ = try reader.optionalString("message")
        payload = json["payload"]
        let expected = try reader.value("expected")
        guard let flag = expected.bool else { throw AdmissionRulesError(.invalidTest, "expected is a \(expected.typeName), not a boolean") }
        self.expected = flag
        external = try reader.value("external")
        guard external.object != nil else { throw AdmissionRulesError(.invalidTest, "external is a \(external.typeName), not an object") }
        if let clock = external["validationClock"] {
            guard let text = clock.string, let date = Timestamp.parseLenient(text) else {
                throw AdmissionRulesError(.invalidTest, "external.validationClock is not a date or date-time")
            }
            validationClock = date
        } else {
            validationClock = nil
        }
    }
}
