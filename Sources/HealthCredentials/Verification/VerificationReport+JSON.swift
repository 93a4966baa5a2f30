import Foundation

extension VerificationReport {
    /// One line of `gatecheck verify --json`: input, format, verdict, reason, steps, kid, issuer, type
    /// (and holder only when `includeHolder` is set). Keys keep this order so lines diff well.
    public func jsonLine(input: String, includeHolder: Bool = false) -> String {
        var fields: [(String, String)] = [
            ("input", JSONText.string(input)),
            ("format", JSONText.string(format)),
            ("verdict", JSONText.string(verdict.rawValue)),
            ("reason", failure.map { JSONText.string($0.code.description) } ?? "null"),
            ("steps", "{" + VerificationStep.allCases.map {
                JSONText.string($0.rawValue) + ":" + JSONText.string(outcome(of: $0).description)
            }.joined(separator: ",") + "}"),
            ("kid", kid.map { JSONText.string(Data($0).base64EncodedString()) } ?? "null"),
            ("issuer", issuer.map(JSONText.string) ?? "null"),
            ("type", type.map { JSONText.string($0.rawValue) } ?? "null"),
        ]
        if includeHolder {
            let holderJSON = holder.map { holder in
                "{" + [
                    ("familyName", holder.familyName), ("familyNameTransliterated", holder.familyNameTransliterated),
                    ("givenName", holder.givenName), ("givenNameTransliterated", holder.givenNameTransliterated),
                    ("dateOfBirth", holder.dateOfBirth),
                ].map { JSONText.string($0.0) + ":" + ($0.1.map(JSONText.string) ?? "null") }.joined(separator: ",") + "}"
            }
            fields.append(("holder", holderJSON ?? "null"))
        }
        return "{" + fields.map { JSONText.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

/// Minimal JSON string quoting (RFC 8259 §7).
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
