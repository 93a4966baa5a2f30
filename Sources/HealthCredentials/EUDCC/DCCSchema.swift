import CBOR
import FoundationEssentials

/// The essentials of the DCC JSON schema, versions 1.0.x–1.3.x, applied to the CBOR payload.
///
/// Documented real-world quirks are tolerated: surrounding whitespace is trimmed, a null stands
/// for an absent optional field, and whole-number floats are accepted for dose numbers. Anything
/// that would make the meaning ambiguous (two entries, two types, a required field missing) fails.
public enum DCCSchema {
    /// Names, issuer and certificate identifier are capped at 80 by the schema; other text
    /// (test centre names run past 100 characters in HU) at a generous bound.
    static let maximumNameLength = 80
    static let maximumTextLength = 256
    static let eightyCharacterFields: Set<String> = ["nam.fn", "nam.fnt", "nam.gn", "nam.gnt"]

    /// Validates `payload` (the `hcert` → 1 map) and returns the typed certificate.
    /// `now` is needed for one plausibility rule: a date of birth cannot lie in the future.
    public static func validate(_ payload: CBORValue, at now: Date) throws(CredentialError) -> DigitalCovidCertificate {
        guard payload.mapEntries != nil else { throw violation("payload is not a map") }

        guard let version = text(payload["ver"]) else { throw violation("ver is missing") }
        guard isSupported(version: version) else {
            throw CredentialError(.unsupportedVersion, "schema version \(version) is not 1.0.x–1.3.x")
        }

        let holder = try validateHolder(payload, at: now)

        let present = CertificateType.allCases.filter { isPresent(payload[$0.rawValue]) }
        guard present.count == 1, let type = present.first else {
            if present.isEmpty { throw violation("no v, t or r entry") }
            throw CredentialError(.multipleEntries, "more than one of v, t, r")
        }
        guard let entries = payload[type.rawValue]?.arrayItems else { throw violation("\(type.rawValue) is not an array") }
        guard entries.count == 1 else {
            if entries.isEmpty { throw violation("\(type.rawValue) is empty") }
            throw CredentialError(.multipleEntries, "\(entries.count) entries in \(type.rawValue)")
        }
        let entry = entries[0]
        guard entry.mapEntries != nil else { throw violation("\(type.rawValue) entry is not a map") }

        let certificateEntry: CertificateEntry
        switch type {
        case .vaccination: certificateEntry = try validateVaccination(entry)
        case .test: certificateEntry = try validateTest(entry)
        case .recovery: certificateEntry = try validateRecovery(entry)
        }
        let identifier = try requiredText(entry["ci"], field: "\(type.rawValue).ci")
        return DigitalCovidCertificate(
            version: version, holder: holder, entry: certificateEntry, certificateIdentifier: identifier
        )
    }

    private static func isSupported(version: String) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1", let minor = Int(parts[1]), (0...3).contains(minor) else { return false }
        return !parts[2].isEmpty && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber)
    }

    // MARK: Holder

    private static func validateHolder(_ payload: CBORValue, at now: Date) throws(CredentialError) -> Holder {
        guard let name = payload["nam"], name.mapEntries != nil else { throw violation("nam is missing") }
        let familyName = try optionalText(name["fn"], field: "nam.fn")
        let givenName = try optionalText(name["gn"], field: "nam.gn")
        guard let familyNameTransliterated = try optionalText(name["fnt"], field: "nam.fnt") else {
            throw violation("nam.fnt is missing")
        }
        let givenNameTransliterated = try optionalText(name["gnt"], field: "nam.gnt")
        for (field, value) in [("fnt", familyNameTransliterated), ("gnt", givenNameTransliterated ?? "")] {
            guard value.utf8.allSatisfy({ (65...90).contains($0) || $0 == UInt8(ascii: "<") }) else {
                throw violation("nam.\(field) is not in ICAO 9303 transliteration")
            }
        }
        // A given name must come with its machine-readable form, or the two cannot be compared.
        if let givenName, !givenName.isEmpty, (givenNameTransliterated ?? "").isEmpty {
            throw violation("nam.gn has no transliteration in nam.gnt")
        }

        guard let dateOfBirth = text(payload["dob"]) else { throw violation("dob is missing") }
        guard let lowerBound = DCCDate.dateOfBirthLowerBound(dateOfBirth) else {
            throw violation("dob does not match YYYY[-MM[-DD]]")
        }
        // Judged by year: issuers' date shifts of a few days are common, a birth year to come is not.
        if let lowerBound, DCCDate.year(of: lowerBound) > DCCDate.year(of: now) { throw violation("dob lies in a future year") }

        return Holder(
            familyName: familyName, familyNameTransliterated: familyNameTransliterated,
            givenName: givenName, givenNameTransliterated: givenNameTransliterated, dateOfBirth: dateOfBirth
        )
    }

    // MARK: Entries

    private static func validateVaccination(_ entry: CBORValue) throws(CredentialError) -> CertificateEntry {
        try requireCommon(entry, type: .vaccination)
        for field in ["vp", "mp", "ma"] { _ = try requiredText(entry[field], field: "v.\(field)") }
        let doseNumber = try dose(entry["dn"], field: "v.dn")
        let totalDoses = try dose(entry["sd"], field: "v.sd")
        let date = try requiredText(entry["dt"], field: "v.dt")
        guard DCCDate.dateOrDateTime(date) != nil else { throw violation("v.dt is not a date") }
        return .vaccination(doseNumber: doseNumber, totalDoses: totalDoses, date: date, country: try country(entry))
    }

    private static func validateTest(_ entry: CBORValue) throws(CredentialError) -> CertificateEntry {
        try requireCommon(entry, type: .test)
        _ = try requiredText(entry["tt"], field: "t.tt")
        for field in ["nm", "ma", "tc"] { _ = try optionalText(entry[field], field: "t.\(field)") }
        let sampleTime = try requiredText(entry["sc"], field: "t.sc")
        guard DCCDate.dateTime(sampleTime) != nil else { throw violation("t.sc is not a date-time") }
        if let resultDate = try optionalText(entry["dr"], field: "t.dr"), !resultDate.isEmpty {
            guard DCCDate.dateTime(resultDate) != nil else { throw violation("t.dr is not a date-time") }
        }
        let result = try requiredText(entry["tr"], field: "t.tr")
        return .test(result: result, sampleTime: sampleTime, country: try country(entry))
    }

    private static func validateRecovery(_ entry: CBORValue) throws(CredentialError) -> CertificateEntry {
        try requireCommon(entry, type: .recovery)
        var dates: [String] = []
        for field in ["fr", "df", "du"] {
            let value = try requiredText(entry[field], field: "r.\(field)")
            guard DCCDate.dateOrDateTime(value) != nil else { throw violation("r.\(field) is not a date") }
            dates.append(value)
        }
        return .recovery(firstPositive: dates[0], validFrom: dates[1], validUntil: dates[2], country: try country(entry))
    }

    /// Fields every entry has: disease (tg), issuer (is) and certificate identifier (ci).
    private static func requireCommon(_ entry: CBORValue, type: CertificateType) throws(CredentialError) {
        let prefix = type.rawValue
        _ = try requiredText(entry["tg"], field: "\(prefix).tg")
        _ = try requiredText(entry["is"], field: "\(prefix).is")
        let identifier = try requiredText(entry["ci"], field: "\(prefix).ci")
        guard !identifier.isEmpty, identifier.count <= maximumNameLength else { throw violation("\(prefix).ci is empty or too long") }
    }

    private static func country(_ entry: CBORValue) throws(CredentialError) -> String {
        let code = try requiredText(entry["co"], field: "co")
        // The schema allows an empty code; a non-empty one must be a real country.
        guard code.isEmpty || CountryCodes.isValid(code) else { throw violation("co is not an ISO 3166 country code") }
        return code
    }

    /// Dose numbers are integers 1–9; IE writes them as floats, which is fine when whole.
    private static func dose(_ value: CBORValue?, field: String) throws(CredentialError) -> Int {
        guard let number = value?.number, number.rounded() == number, (1...9).contains(number) else {
            throw violation("\(field) is not a whole number from 1 to 9")
        }
        return Int(number)
    }

    // MARK: Field helpers

    private static func isPresent(_ value: CBORValue?) -> Bool {
        guard let value else { return false }
        return !value.isNull
    }

    /// Text with surrounding whitespace trimmed, or nil when absent or not text. A date/time
    /// string under CBOR tag 0 (HU, SE write `sc` that way) counts as text.
    private static func text(_ value: CBORValue?) -> String? {
        var value = value
        if case .tagged(0, let inner)? = value?.content { value = inner }
        return value?.string.map(trimmed)
    }

    /// Surrounding whitespace removed; the common case (none) costs two scalar checks and no copy.
    private static func trimmed(_ string: String) -> String {
        let scalars = string.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return string }
        if !isWhitespace(first), !isWhitespace(last) { return string }
        guard let start = scalars.firstIndex(where: { !isWhitespace($0) }),
              let end = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    /// ASCII letters and digits answer without a Unicode property lookup.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || ("\t"..."\r").contains(scalar) }
        return scalar.properties.isWhitespace
    }

    private static func optionalText(_ value: CBORValue?, field: String) throws(CredentialError) -> String? {
        guard isPresent(value) else { return nil }
        guard let string = text(value) else { throw violation("\(field) is not text") }
        let limit = eightyCharacterFields.contains(field) ? maximumNameLength : maximumTextLength
        guard string.count <= limit else { throw violation("\(field) is longer than \(limit)") }
        return string
    }

    private static func requiredText(_ value: CBORValue?, field: String) throws(CredentialError) -> String {
        guard let string = try optionalText(value, field: field) else { throw violation("\(field) is missing") }
        return string
    }

    private static func violation(_ detail: String) -> CredentialError {
        CredentialError(.schemaViolation, detail)
    }
}
