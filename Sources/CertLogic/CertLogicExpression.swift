import JSON

/// A CertLogic expression validated once (at bundle creation or import), evaluated many times.
///
/// Validation turns the JSON into a typed tree, so evaluation never re-checks the rule's shape and a
/// malformed or oversized rule is refused before it can meet a credential. Evaluation is bounded by
/// `CertLogicLimits` and fails closed: any type confusion is a `CertLogicError`, never a guess.
public struct CertLogicExpression: Sendable, Hashable {
    /// The expression as given.
    public let json: JSONValue
    private let root: Node
    private let topLevelDataPaths: [String]

    /// Validates `json` as a CertLogic expression (the spec plus certlogic-js's format validator).
    /// Throws `invalid-expression` for anything malformed and `limit-exceeded` beyond `limits.maxDepth`
    /// or `limits.maxNodes`.
    public init(validating json: JSONValue, limits: CertLogicLimits = .default) throws(CertLogicError) {
        var compiler = ExpressionCompiler(limits: limits)
        self.root = try compiler.compile(json)
        self.topLevelDataPaths = compiler.dataPaths
        self.json = json
    }

    /// The expression's value for `data`. A date-time result is returned as its ISO 8601 string
    /// (`YYYY-MM-DDThh:mm:ss.sssZ`). Throws on type mismatches, unparsable dates, overflow and limits.
    public func evaluate(_ data: JSONValue, limits: CertLogicLimits = .default) throws(CertLogicError) -> JSONValue {
        var evaluator = Evaluator(limits: limits)
        return try evaluator.evaluate(root, in: .data(data)).jsonValue
    }

    /// Whether the expression's value for `data` is truthy (`CertLogic.isTruthy`): how a rule passes.
    /// Errors propagate, so the caller decides that an error is a failure.
    public func isSatisfied(by data: JSONValue, limits: CertLogicLimits = .default) throws(CertLogicError) -> Bool {
        var evaluator = Evaluator(limits: limits)
        return Boolsiness(try evaluator.evaluate(root, in: .data(data))) == .truthy
    }

    /// Every data path the expression reads with `var` in the top-level data context, as written
    /// (e.g. "payload.v.0.dn", "external.valueSets.covid-19-lab-test-type"), once each in order of first
    /// appearance; `""` when it reads the whole context. Paths inside a `reduce` lambda are left out,
    /// since they read the lambda's current item and accumulator. Used to check a rule's AffectedFields.
    public var dataPaths: [String] { topLevelDataPaths }

    /// Equal when the JSON is equal: the tree and paths are derived from it.
    public static func == (lhs: CertLogicExpression, rhs: CertLogicExpression) -> Bool { lhs.json == rhs.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}
