/// Whose rule it is: the arrival country's acceptance rules, or the issuing country's rules that
/// invalidate its own certificates. Both pass only on an exact `true` (as in the EU's DGCA engine).
public enum RuleType: String, Sendable, Hashable, CaseIterable {
    case acceptance = "Acceptance"
    case invalidation = "Invalidation"
}
