import HealthCredentials
import JSON

/// The message zones of `icao.vacc` and `icao.test` (PathCheck's payload specs of the ICAO guidelines): required
/// members and their types, nothing more. Unknown members are allowed (later versions may add some).
enum VDSNCSchema {
    /// A member's expected JSON type.
    private enum Kind: Sendable {
        case string
        /// A dose number: the spec says string, real seals write an integer.
        case stringOrInteger
        case object([Field])
        /// A non-empty array of objects.
        case objects([Field])
    }

    private struct Field: Sendable {
        let name: String
        let required: Bool
        let kind: Kind

        static func required(_ name: String, _ kind: Kind = .string) -> Field { Field(name: name, required: true, kind: kind) }
        static func optional(_ name: String, _ kind: Kind = .string) -> Field { Field(name: name, required: false, kind: kind) }
    }

    private static let person: [Field] = [.required("n"), .optional("dob"), .optional("sex"), .optional("i"), .optional("ai")]

    private static let vaccination: [Field] = [
        .required("uvci"),
        .required("pid", .object(person)),
        .required(
            "ve",
            .objects([
                .required("des"), .required("nam"), .optional("dis"),
                .required(
                    "vd",
                    .objects([
                        .required("dvc"), .required("seq", .stringOrInteger), .required("ctr"), .optional("adm"), .required("lot"),
                        .optional("dvn"),
                    ])),
            ])),
    ]

    private static let test: [Field] = [
        .required("utci"),
        .required("pid", .object(person + [.required("dt"), .required("dn")])),
        .required("sp", .object([.required("spn"), .required("ctr"), .required("cd", .object([.required("p"), .optional("e"), .optional("a")]))])),
        .required("dat", .object([.required("sc"), .required("ri")])),
        .required("tr", .object([.required("tc"), .required("r"), .optional("m")])),
        .optional("opt"),
    ]

    /// The first violation, as `.schemaViolation` naming the member (never its value); nil when none.
    static func violation(in message: JSONObject, type: VDSNCSeal.SealType) -> CredentialError? {
        check(message, fields: type == .vaccination ? vaccination : test, path: "msg")
    }

    /// The holder from `pid`: `n` is Doc 9303-3's name, primary and secondary identifiers separated by two
    /// spaces (split when present), `dob` the date of birth (empty when absent).
    static func holder(in message: JSONObject) -> Holder? {
        guard let person = message["pid"]?.object, let name = person["n"]?.string else { return nil }
        let dateOfBirth = person["dob"]?.string ?? ""
        let characters = Array(name)
        if let split = characters.indices.dropLast().first(where: { characters[$0] == " " && characters[$0 + 1] == " " }) {
            let family = String(characters[..<split])
            let given = String(characters[(split + 2)...].drop(while: { $0 == " " }))
            return Holder(familyName: family, familyNameTransliterated: family, givenName: given, givenNameTransliterated: given, dateOfBirth: dateOfBirth)
        }
        return Holder(familyName: name, familyNameTransliterated: name, givenName: nil, givenNameTransliterated: nil, dateOfBirth: dateOfBirth)
    }

    private static func check(_ object: JSONObject, fields: [Field], path: String) -> CredentialError? {
        for field in fields {
            let name = "\(path).\(field.name)"
            guard let value = object[field.name] else {
                if field.required { return CredentialError(.schemaViolation, "\(name) is missing") }
                continue
            }
            switch field.kind {
            case .string:
                if value.string == nil { return CredentialError(.schemaViolation, "\(name) is not a string") }
            case .stringOrInteger:
                if value.string == nil && value.int64 == nil { return CredentialError(.schemaViolation, "\(name) is neither a string nor an integer") }
            case .object(let inner):
                guard let nested = value.object else { return CredentialError(.schemaViolation, "\(name) is not an object") }
                if let error = check(nested, fields: inner, path: name) { return error }
            case .objects(let inner):
                guard let elements = value.array, !elements.isEmpty else { return CredentialError(.schemaViolation, "\(name) is not a non-empty array") }
                for element in elements {
                    guard let nested = element.object else { return CredentialError(.schemaViolation, "\(name) holds a non-object") }
                    if let error = check(nested, fields: inner, path: name) { return error }
                }
            }
        }
        return nil
    }
}
