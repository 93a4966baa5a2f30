/// One human-readable description of a rule, for showing an operator why a credential was refused.
public struct RuleDescription: Sendable, Hashable {
    /// `en`, `de`, … or `xx-yy`, as the gateway schema allows.
    public let language: String
    public let text: String
}
