import JSON

/// The path of a `var`, split once when the expression is validated. Fragments are separated by
/// `.`; a fragment of ASCII digits indexes arrays (0-based); anything missing reads as `null`.
struct DataPath: Sendable {
    struct Fragment: Sendable {
        let name: String
        /// Set when the fragment is all ASCII digits and fits an Int.
        let index: Int?
    }

    /// The path as written in the rule.
    let text: String
    /// Empty for the path `""`, which is the whole data context.
    let fragments: [Fragment]

    /// Nil unless `text` is `""` or non-empty fragments joined by single dots (certlogic-js's format).
    init?(_ text: String) {
        self.text = text
        guard !text.isEmpty else {
            fragments = []
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        fragments = parts.map { part in
            let isIndex = part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            return Fragment(name: String(part), index: isIndex ? Int(part) : nil)
        }
    }

    /// The value at this path in JSON data. `work` grows by the object members and array items
    /// stepped over, so the evaluator can charge for lookups in huge objects.
    func resolve(in data: JSONValue, work: inout Int) -> JSONValue {
        resolve(fragments[...], in: data, work: &work)
    }

    /// The value at this path inside a `reduce` lambda, whose data is `{ "current": …, "accumulator": … }`.
    func resolve(current: Value, accumulator: Value, work: inout Int) -> Value {
        guard let first = fragments.first else {
            return .json(.object([("current", current.jsonValue), ("accumulator", accumulator.jsonValue)]))
        }
        switch first.name {
        case "current": return resolve(fragments.dropFirst(), in: current, work: &work)
        case "accumulator": return resolve(fragments.dropFirst(), in: accumulator, work: &work)
        default: return .null
        }
    }

    private func resolve(_ fragments: ArraySlice<Fragment>, in value: Value, work: inout Int) -> Value {
        var current = value
        for (offset, fragment) in zip(fragments.indices, fragments) {
            switch current {
            case .json(let json): return .json(resolve(fragments[offset...], in: json, work: &work))
            case .dateTime: return .null
            case .array(let array):
                guard let index = fragment.index, index < array.items.count else { return .null }
                current = array.items[index]
            }
        }
        return current
    }

    private func resolve(_ fragments: ArraySlice<Fragment>, in data: JSONValue, work: inout Int) -> JSONValue {
        var current = data
        for fragment in fragments {
            switch current {
            case .object(let object):
                // Names match by UTF-8 bytes, as JavaScript property keys do (no Unicode normalisation).
                let nameBytes = fragment.name.utf8
                let match = { (name: String) in name.utf8.count == nameBytes.count && name.utf8.elementsEqual(nameBytes) }
                guard let position = object.names.firstIndex(where: match) else {
                    work += object.count
                    return .null
                }
                work += position + 1
                current = object.values[position]
            case .array(let items):
                guard let index = fragment.index, index < items.count else { return .null }
                current = items[index]
            default:
                return .null
            }
        }
        return current
    }
}
