import JSON

/// Reads the members of one JSON object for a validating initializer, turning every shape problem
/// into an `AdmissionRulesError` with `code` and the member's name.
struct RuleReader {
    let object: JSONObject
    let code: AdmissionRulesError.Code

    init(_ value: JSONValue, code: AdmissionRulesError.Code, what: String) throws(AdmissionRulesError) {
        guard let object = value.object else { throw AdmissionRulesError(code, "\(what) is a \(value.typeName), not an object") }
        self.object = object
        self.code = code
    }

    /// Refuses members outside `allowed` (JSON Schema's `additionalProperties: false`).
    func onlyMembers(_ allowed: Set<String>) throws(AdmissionRulesError) {
        for name in object.names where !allowed.contains(name) {
            throw AdmissionRulesError(code, "unknown member \(quoted(name))")
        }
    }

    func value(_ name: String) throws(AdmissionRulesError) -> JSONValue {
        guard let value = object[name] else { throw AdmissionRulesError(code, "\(name) is missing") }
        return value
    }

    func string(_ name: String) throws(AdmissionRulesError) -> String {
        let value = try value(name)
        guard let text = value.string else { throw AdmissionRulesError(code, "\(name) is a \(value.typeName), not a string") }
        return text
    }

    func optionalString(_ name: String) throws(AdmissionRulesError) -> String? {
        guard object[name] != nil else { return nil }
        return try string(name)
    }

    func array(_ name: String) throws(AdmissionRulesError) -> [JSONValue] {
        let value = try value(name)
        guard let array = value.array else { throw AdmissionRulesError(code, "\(name) is a \(value.typeName), not an array") }
        return array
    }

    /// A string that matches `pattern` (a check written as a closure, in place of a regular expression).
    func string(_ name: String, matching pattern: String, _ check: (String) -> Bool) throws(AdmissionRulesError) -> String {
        let text = try string(name)
        guard check(text) else { throw AdmissionRulesError(code, "\(name) does not match \(pattern)") }
        return text
    }

    func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) throws(AdmissionRulesError) -> T
    where T.RawValue == String {
        let text = try string(name)
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw AdmissionRulesError(code, "\(name) is not one of \(allowed)")
        }
        return value
    }

    func version(_ name: String) throws(AdmissionRulesError) -> SemanticVersion {
        let text = try string(name)
        guard let version = SemanticVersion(text) else { throw AdmissionRulesError(code, "\(name) is not major.minor.patch") }
        return version
    }
}

/// A name from a file, quoted and cut short, so a hostile name cannot flood a log line.
func quoted(_ text: String) -> String {
    let cut = text.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…" : text
    return "\"" + cut.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined() + "\""
}
