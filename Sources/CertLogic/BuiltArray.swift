/// An array built during evaluation (from an array literal with operations in it), with the nesting
/// and size of what evaluation built, so a `reduce` lambda that wraps its accumulator cannot grow
/// a value without bound. JSON taken from the data counts as one node, whatever its size.
struct BuiltArray: Sendable {
    let items: [Value]
    /// Levels of built arrays, this one included.
    let depth: Int
    /// Built arrays plus their items.
    let size: Int

    init(_ items: [Value], limits: CertLogicLimits) throws(CertLogicError) {
        var depth = 1
        var size = 1
        for item in items {
            if case .array(let inner) = item {
                depth = max(depth, inner.depth + 1)
                let (sum, overflow) = size.addingReportingOverflow(inner.size)
                size = overflow ? Int.max : sum
            } else {
                size = size == Int.max ? size : size + 1
            }
            guard size <= limits.maxNodes else {
                throw CertLogicError(.limitExceeded, "an array built during evaluation exceeds \(limits.maxNodes) values")
            }
        }
        guard depth <= limits.effectiveMaxDepth else {
            throw CertLogicError(.limitExceeded, "arrays built during evaluation nest deeper than \(limits.effectiveMaxDepth)")
        }
        self.items = items
        self.depth = depth
        self.size = size
    }
}
