import CBOR
import FoundationEssentials
import HealthCredentials

/// What the NZCP spec requires of a pass's `cti` and `vc`: a 16-byte `cti` (the `jti` UUID); `vc.@context` an array
/// starting with the W3C credentials context and holding the NZCP one; `vc.version` a `1.x.y` text; `vc.type` an
/// array holding `VerifiableCredential` and `PublicCovidPass`; `vc.credentialSubject` with `givenName` and `dob`
/// (`YYYY-MM-DD`) required and `familyName` optional. Failures name the member, never its value.
public enum NZCPSchema {
    static let credentialsContext = "https://www.w3.org/2018/credentials/v1"
    static let passContext = "https://nzcp.covid19.health.nz/contexts/v1"
    static let passType = "PublicCovidPass"
    static let maximumTextLength = 256

    public static func holder(of claims: NZCPClaims) throws(CredentialError) -> Holder {
        guard claims.jti != nil else { throw violation("cti is missing or not 16 bytes") }
        guard let vc = claims.credential, vc.mapEntries != nil else { throw violation("vc is missing or not a map") }
        let contexts = try texts(vc["@context"], name: "vc.@context")
        guard contexts.first == credentialsContext, contexts.contains(passContext) else {
            throw violation("vc.@context does not start with the W3C credentials context or lacks the NZCP one")
        }
        guard let version = vc["version"]?.string, version.hasPrefix("1."), version.utf8.count <= 16 else {
            throw violation("vc.version is missing or not 1.x.y")
        }
        let types = try texts(vc["type"], name: "vc.type")
        guard types.contains("VerifiableCredential"), types.contains(passType) else {
            throw violation("vc.type does not hold VerifiableCredential and PublicCovidPass")
        }
        guard let subject = vc["credentialSubject"], subject.mapEntries != nil else {
            throw violation("vc.credentialSubject is missing or not a map")
        }
        guard let givenName = try text(subject, "givenName", required: true) else { throw violation("givenName is missing") }
        let familyName = try text(subject, "familyName", required: false)
        guard let dob = try text(subject, "dob", required: true), isDate(dob) else { throw violation("dob is missing or not YYYY-MM-DD") }
        return Holder(
            familyName: familyName, familyNameTransliterated: familyName ?? "", givenName: givenName, givenNameTransliterated: nil,
            dateOfBirth: dob
        )
    }

    private static func texts(_ value: CBORValue?, name: String) throws(CredentialError) -> [String] {
        guard let items = value?.arrayItems, !items.isEmpty, items.count <= 16 else { throw violation("\(name) is not an array") }
        var texts: [String] = []
        for item in items {
            guard let text = item.string, text.utf8.count <= maximumTextLength else { throw violation("\(name) holds a non-text item") }
            texts.append(text)
        }
        return texts
    }

    private static func text(_ map: CBORValue, _ member: String, required: Bool) throws(CredentialError) -> String? {
        guard let value = map[member] else {
            if required { throw violation("credentialSubject.\(member) is missing") }
            return nil
        }
        guard let text = value.string, !text.isEmpty, text.utf8.count <= maximumTextLength else {
            throw violation("credentialSubject.\(member) is not a non-empty text string")
        }
        return text
    }

    /// `YYYY-MM-DD` with a real month and day.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9].map { bytes[$0] }
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        let day = Int(bytes[8] - 48) * 10 + Int(bytes[9] - 48)
        return (1...12).contains(month) && (1...31).contains(day)
    }

    private static func violation(_ detail: String) -> CredentialError {
        CredentialError(.schemaViolation, detail)
    }
}
