import JSON

/// The EU value sets in the rules' "compressed" form, `{name: [code, …]}`, which rules read as
/// `external.valueSets.<name>` (e.g. the vaccines a country accepts).
public struct ValueSets: Sendable, Hashable {
    /// The value sets as given, passed to rules unchanged.
    public let json: JSONValue

    /// Validates `json`: an object whose members are non-empty names holding arrays of strings.
    public init(json: JSONValue) throws(AdmissionRulesError) {
        guard let object = json.object else {
            throw AdmissionRulesError(.invalidValueSets, "value sets are a \(json.typeName), not an object")
        }
        for (name, value) in object {
            guard !name.isEmpty else { throw AdmissionRulesError(.invalidValueSets, "a value set has an empty name") }
            guard let codes = value.array else {
                throw AdmissionRulesError(.invalidValueSets, "value set \(quoted(name)) is a \(value.typeName), not an array")
            }
            for code in codes where code.string == nil {
                throw AdmissionRulesError(.invalidValueSets, "value set \(quoted(name)) holds a \(code.typeName), not only strings")
            }
        }
        self.json = json
    }

    private init(checked json: JSONValue) { self.json = json }

    /// No value sets, for rules that use none.
    public static let empty = ValueSets(checked: .object(JSONObject()))

    /// The value set names, sorted.
    public var names: [String] { (json.object?.names ?? []).sorted() }

    /// The codes of one value set; nil when there is no such set.
    public func codes(_ name: String) -> [String]? {
        json[name]?.array?.compactMap(\.string)
    }
}
