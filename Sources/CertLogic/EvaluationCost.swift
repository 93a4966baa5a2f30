/// What one evaluation step buys. Every node evaluated and every `reduce` item costs one step;
/// work proportional to the data costs extra, so no data size turns a bounded number of steps into
/// unbounded time (a `reduce` running `in` against a million-item array per item, say).
enum EvaluationCost {
    /// Object members or array items stepped over per step, for `var` lookups and `in`.
    static let itemsPerStep = 16
    /// String bytes read per step, for equal-length string comparisons, date parsing and UCI splitting.
    static let bytesPerStep = 64

    static func forItems(_ count: Int) -> Int { count / itemsPerStep }
    static func forBytes(_ count: Int) -> Int { count / bytesPerStep }
}
