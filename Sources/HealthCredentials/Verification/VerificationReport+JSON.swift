import FoundationEssentials
import JSON

extension VerificationReport {
    /// One line of `gatecheck verify --json`: input, format, profile, verdict, reason, steps (the format's own), kid, issuer, type,
    /// `failedRules` when admission rules failed (and holder only when `includeHolder` is set).
    /// Keys keep this order so lines diff well.
    public func jsonLine(input: String, includeHolder: Bool = false) -> String {
        var line = JSONObject()
        line["input"] = .string(input)
        line["format"] = .string(format.rawValue)
        line["profile"] = profile.map { .string($0.rawValue) } ?? .null
        line["verdict"] = .string(verdict.rawValue)
        line["reason"] = failure.map { .string($0.code.description) } ?? .null
        line["steps"] = .object(checkedSteps.map { ($0.rawValue, .string(outcome(of: $0).description)) })
        line["kid"] = kidText.map(JSONValue.string) ?? .null
        line["issuer"] = issuer.map(JSONValue.string) ?? .null
        line["type"] = type.map { .string($0.rawValue) } ?? .null
        if !failedRules.isEmpty {
            line["failedRules"] = .array(failedRules.map(JSONValue.string))
        }
        if includeHolder {
            line["holder"] = holder.map { holder in
                .object([
                    ("familyName", holder.familyName), ("familyNameTransliterated", holder.familyNameTransliterated),
                    ("givenName", holder.givenName), ("givenNameTransliterated", holder.givenNameTransliterated),
                    ("dateOfBirth", holder.dateOfBirth),
                ].map { ($0.0, $0.1.map(JSONValue.string) ?? .null) })
            } ?? .null
        }
        return JSONWriter.string(.object(line))
    }
}
