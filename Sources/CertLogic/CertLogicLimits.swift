/// Bounds that keep an attacker-supplied rule from exhausting the stack, memory or time.
///
/// `maxDepth` and `maxNodes` are checked once, by `CertLogicExpression.init(validating:)`; the other
/// bounds are checked while evaluating. The defaults are far above what real rules need (the EU
/// gateway's rules are at most ~70 nodes and 15 levels deep) and far below what could hurt.
public struct CertLogicLimits: Sendable, Hashable {
    /// Maximum nesting of the expression's JSON (every array and object counts one level; the top
    /// level is 0). Also caps how deeply arrays built during evaluation may nest. Values above
    /// `hardMaxDepth` are treated as `hardMaxDepth`, since validation and evaluation recurse.
    public var maxDepth: Int
    /// Maximum number of JSON values in the expression (every scalar, array and object counts one).
    /// Also caps the size of an array built during evaluation (e.g. by a `reduce` lambda).
    public var maxNodes: Int
    /// Maximum number of items a `reduce` may fold over.
    public var maxReduceLength: Int
    /// Maximum number of operations one `evaluate` call may perform (every node evaluated and every
    /// `reduce` step counts one), so no rule can take long however its loops nest.
    public var maxEvaluationSteps: Int

    /// The ceiling on `maxDepth`, whatever a caller asks for: recursion (a few hundred bytes a level in
    /// release builds, a few KiB in debug) stays well inside even a 512 KiB thread stack.
    public static let hardMaxDepth = 128

    public init(maxDepth: Int = 64, maxNodes: Int = 10_000, maxReduceLength: Int = 10_000, maxEvaluationSteps: Int = 100_000) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxReduceLength = maxReduceLength
        self.maxEvaluationSteps = maxEvaluationSteps
    }

    public static let `default` = CertLogicLimits()

    /// `maxDepth` clamped to `0...hardMaxDepth`.
    var effectiveMaxDepth: Int { min(max(maxDepth, 0), Self.hardMaxDepth) }
}
