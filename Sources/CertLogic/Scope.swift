import JSON

/// What `var` reads: the data given to `evaluate`, or inside a `reduce` lambda the current item
/// and the accumulator (certlogic-js does not pass the outer data into the lambda).
enum Scope {
    case data(JSONValue)
    case lambda(current: Value, accumulator: Value)

    /// The value at `path`; `work` grows by the members and items stepped over, and by the size of
    /// the lambda context when the whole of it is read (which builds it as JSON).
    func resolve(_ path: DataPath, work: inout Int) -> Value {
        switch self {
        case .data(let data):
            return .json(path.resolve(in: data, work: &work))
        case .lambda(let current, let accumulator):
            if path.fragments.isEmpty { work += current.builtSize + accumulator.builtSize }
            return path.resolve(current: current, accumulator: accumulator, work: &work)
        }
    }
}
