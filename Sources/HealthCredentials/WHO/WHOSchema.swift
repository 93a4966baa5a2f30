import CBOR
import FoundationEssentials

/// The schema essentials of the WHO HCERT profiles, checked on the CBOR of the `hcert` entry.
///
/// - DVC (−6), the smart ICVP's logical model `DVCPayload`: `n` and `dob` required; `s`, `ntl`, `nid`, `gn` text
///   when present; `v` one vaccination (a map, or an array holding exactly one map) with `dn`, `tg`, `vp`, `ma`, `dt`
///   and `bo` required, `mp`, `mid`, `cn`, `is` text and `vls`, `vle` dates when present. The model's "`is` or `cn`"
///   invariant is not enforced: WHO's own test DVCs leave both out.
/// - DDCC:VS (3) and DDCC:TR (4), the DDCC core data set: `name` required, `birthDate` a date when present,
///   `vaccination` (VS) or `test` (TR) a map whose `date` is a date or date-time, `certificate.period.start`/`end`
///   dates or date-times when present.
///
/// A failure is a `schema-violation` naming the member, never its value (which may be personal data).
public enum WHOSchema {
    /// ICD-11 and other codes, names and identifiers stay short; anything longer is not a credential.
    static let maximumTextLength = 256

    public static func validate(_ entry: CBORValue, profile: CredentialProfile) throws(CredentialError) -> WHOCertificate {
        switch profile {
        case .euDCC: throw violation("an EU DCC is not a WHO profile")
        case .whoDVC: return try dvc(entry)
        case .whoDDCCVS: return try ddcc(entry, profile: profile, event: "vaccination", type: .vaccination)
        case .whoDDCCTR: return try ddcc(entry, profile: profile, event: "test", type: .test)
        }
    }

    private static func dvc(_ entry: CBORValue) throws(CredentialError) -> WHOCertificate {
        guard entry.mapEntries != nil else { throw violation("the DVC is not a map") }
        let name = try text(entry, "n", required: true) ?? ""
        let birth = try date(entry, "dob", required: true, dateOnly: true)
        for member in ["s", "ntl", "nid", "gn"] { _ = try text(entry, member, required: false) }
        guard let group = entry["v"] else { throw violation("v is missing") }
        let vaccination: CBORValue
        if group.mapEntries != nil {
            vaccination = group
        } else if let items = group.arrayItems, items.count == 1, items[0].mapEntries != nil {
            vaccination = items[0]
        } else {
            throw violation("v is not one vaccination")
        }
        for member in ["dn", "tg", "vp", "ma", "bo"] { _ = try text(vaccination, member, required: true, path: "v.") }
        for member in ["mp", "mid", "cn", "is"] { _ = try text(vaccination, member, required: false, path: "v.") }
        _ = try date(vaccination, "dt", required: true, dateOnly: true, path: "v.")
        let validFrom = try date(vaccination, "vls", required: false, dateOnly: true, path: "v.")
        let validUntil = try date(vaccination, "vle", required: false, dateOnly: true, path: "v.")
        if let validFrom, let validUntil, validUntil < validFrom { throw violation("v.vle lies before v.vls") }
        return WHOCertificate(
            profile: .whoDVC, holder: holder(name: name, birth: birth?.text ?? ""), type: .vaccination,
            validFrom: validFrom?.day, validUntil: validUntil?.day
        )
    }

    private static func ddcc(_ entry: CBORValue, profile: CredentialProfile, event: String, type: CertificateType) throws(CredentialError) -> WHOCertificate {
        guard entry.mapEntries != nil else { throw violation("the DDCC core data set is not a map") }
        let name = try text(entry, "name", required: true) ?? ""
        let birth = try date(entry, "birthDate", required: false, dateOnly: true)
        guard let details = entry[event], details.mapEntries != nil else { throw violation("\(event) is missing or not a map") }
        _ = try date(details, "date", required: true, dateOnly: false, path: event + ".")
        var validFrom: Date?
        var validUntil: Date?
        if let certificate = entry["certificate"] {
            guard certificate.mapEntries != nil else { throw violation("certificate is not a map") }
            if let period = certificate["period"] {
                guard period.mapEntries != nil else { throw violation("certificate.period is not a map") }
                validFrom = try date(period, "start", required: false, dateOnly: false, path: "certificate.period.")?.day
                validUntil = try date(period, "end", required: false, dateOnly: false, path: "certificate.period.")?.day
                if let validFrom, let validUntil, validUntil < validFrom {
                    throw violation("certificate.period.end lies before its start")
                }
            }
        }
        return WHOCertificate(profile: profile, holder: holder(name: name, birth: birth?.text ?? ""), type: type, validFrom: validFrom, validUntil: validUntil)
    }

    /// WHO profiles carry one name, which is kept as the family name (as written and transliterated alike).
    private static func holder(name: String, birth: String) -> Holder {
        Holder(familyName: name, familyNameTransliterated: name, givenName: nil, givenNameTransliterated: nil, dateOfBirth: birth)
    }

    private static func text(_ map: CBORValue, _ member: String, required: Bool, path: String = "") throws(CredentialError) -> String? {
        guard let value = map[member], !value.isNull else {
            if required { throw violation("\(path)\(member) is missing") }
            return nil
        }
        guard let text = value.string else { throw violation("\(path)\(member) is not a text string") }
        guard !text.isEmpty, text.utf8.count <= maximumTextLength else { throw violation("\(path)\(member) is empty or too long") }
        return text
    }

    /// A date member: its text and the UTC day it names (a date-time's own day, when allowed).
    private static func date(
        _ map: CBORValue, _ member: String, required: Bool, dateOnly: Bool, path: String = ""
    ) throws(CredentialError) -> (text: String, day: Date)? {
        guard let text = try text(map, member, required: required, path: path) else { return nil }
        let parsed = dateOnly ? DCCDate.date(text) : DCCDate.dateOrDateTime(text)
        guard let parsed else { throw violation("\(path)\(member) is not a date") }
        return (text, Date(timeIntervalSince1970: (parsed.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400))
    }

    private static func violation(_ detail: String) -> CredentialError {
        CredentialError(.schemaViolation, detail)
    }
}
