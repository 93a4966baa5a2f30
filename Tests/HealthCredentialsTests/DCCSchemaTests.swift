import CBOR
import Foundation
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// The DCC payload schema essentials (1.0.x–1.3.x) and the documented real-world tolerances.
@Suite("DCC schema")
struct DCCSchemaTests {
    static let now = utc(2022, 8, 8, 12)

    static func validate(_ payload: CBORValue, at now: Date = now) throws(CredentialError) -> DigitalCovidCertificate {
        try DCCSchema.validate(payload, at: now)
    }

    /// The default payload of `type` with `nam` edited.
    static func withName(_ key: String, _ value: CBORValue?, type: CertificateType = .vaccination) -> CBORValue {
        let payload = TestCredential.payload(type: type)
        return payload.setting("nam", to: payload["nam"]!.setting(key, to: value))
    }

    /// The default payload of `type` with one entry field edited.
    static func withEntry(_ type: CertificateType, _ key: String, _ value: CBORValue?) -> CBORValue {
        withEntry(type, [(key, value)])
    }

    /// The default payload of `type` with entry fields edited (nil removes a field).
    static func withEntry(_ type: CertificateType, _ edits: [(String, CBORValue?)]) -> CBORValue {
        var entry = TestCredential.defaultEntry(type)
        for (key, value) in edits {
            if let index = entry.firstIndex(where: { $0.0 == key }) {
                if let value { entry[index].1 = value } else { entry.remove(at: index) }
            } else if let value {
                entry.append((key, value))
            }
        }
        return TestCredential.payload(type: type, entry: entry)
    }

    // MARK: Valid payloads

    @Test("the default v, t and r payloads validate", arguments: CertificateType.allCases)
    func validTypes(type: CertificateType) throws {
        let certificate = try Self.validate(TestCredential.payload(type: type))
        #expect(certificate.type == type)
        #expect(certificate.version == "1.3.0")
        #expect(certificate.holder.familyName == HolderData.familyName)
        #expect(certificate.holder.familyNameTransliterated == HolderData.familyNameTransliterated)
        #expect(certificate.holder.givenName == HolderData.givenName)
        #expect(certificate.holder.givenNameTransliterated == "ANNA")
        #expect(certificate.holder.dateOfBirth == HolderData.dateOfBirth)
    }

    @Test("entry fields are carried into the typed entry")
    func entryFields() throws {
        let vaccination = try Self.validate(Self.withEntry(.vaccination, "dn", .integer(3)).setting("ver", to: .text("1.0.0")))
        #expect(vaccination.entry == .vaccination(doseNumber: 3, totalDoses: 2, date: "2022-03-01", country: "VN"))
        let test = try Self.validate(TestCredential.payload(type: .test))
        #expect(test.entry == .test(result: "260415000", sampleTime: "2022-04-14T08:00:00Z", country: "VN"))
        let recovery = try Self.validate(TestCredential.payload(type: .recovery))
        #expect(recovery.entry == .recovery(firstPositive: "2022-01-01", validFrom: "2022-01-15", validUntil: "2022-12-31", country: "VN"))
    }

    @Test("schema versions 1.0.x to 1.3.x are accepted", arguments: ["1.0.0", "1.0.1", "1.0.4", "1.1.0", "1.2.1", "1.3.0", "1.3.2", "1.3.10"])
    func supportedVersions(version: String) throws {
        let certificate = try Self.validate(TestCredential.payload(type: .vaccination, version: version))
        #expect(certificate.version == version)
    }

    @Test("other versions are unsupported-version", arguments: ["2.0.0", "1.4.0", "0.9.0", "1.3", "1", "1.3.0.1", "1.3.x", "", "v1.3.0", "1.-1.0", "1.3.", "1.3.\u{0663}"])
    func unsupportedVersions(version: String) {
        expectCode(.unsupportedVersion) { try Self.validate(TestCredential.payload(type: .vaccination, version: version)) }
    }

    @Test("a missing or non-text version is a schema violation")
    func missingVersion() {
        let payload = TestCredential.payload(type: .vaccination)
        expectCode(.schemaViolation) { try Self.validate(payload.setting("ver", to: nil)) }
        expectCode(.schemaViolation) { try Self.validate(payload.setting("ver", to: .integer(1))) }
    }

    // MARK: Entries

    @Test("two types (v and t) are multiple-entries")
    func twoTypes() {
        let test = TestCredential.payload(type: .test)
        let both = TestCredential.payload(type: .vaccination).setting("t", to: test["t"])
        expectCode(.multipleEntries) { try Self.validate(both) }
        let all = both.setting("r", to: TestCredential.payload(type: .recovery)["r"])
        expectCode(.multipleEntries) { try Self.validate(all) }
    }

    @Test("two entries of one type are multiple-entries", arguments: CertificateType.allCases)
    func twoEntries(type: CertificateType) throws {
        let payload = TestCredential.payload(type: type)
        let entry = try #require(payload[type.rawValue]?.arrayItems?.first)
        expectCode(.multipleEntries) { try Self.validate(payload.setting(type.rawValue, to: .array([entry, entry]))) }
    }

    @Test("no entry, an empty array or a non-array is a schema violation")
    func noEntry() {
        let payload = TestCredential.payload(type: .vaccination)
        expectCode(.schemaViolation) { try Self.validate(payload.setting("v", to: nil)) }
        expectCode(.schemaViolation) { try Self.validate(payload.setting("v", to: .array([]))) }
        expectCode(.schemaViolation) { try Self.validate(payload.setting("v", to: payload["v"]!.arrayItems![0])) }
        expectCode(.schemaViolation) { try Self.validate(payload.setting("v", to: .array([.text("x")]))) }
    }

    @Test("a null type key counts as absent")
    func nullType() throws {
        let payload = TestCredential.payload(type: .test).setting("v", to: .null).setting("r", to: .null)
        #expect(try Self.validate(payload).type == .test)
    }

    @Test("a payload that is not a map is a schema violation")
    func notAMap() {
        expectCode(.schemaViolation) { try Self.validate(.array([])) }
        expectCode(.schemaViolation) { try Self.validate(.text("1.3.0")) }
    }

    // MARK: Names

    @Test("a missing family name transliteration (fnt) is a schema violation")
    func missingFnt() {
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fnt", nil)) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fnt", .null)) }
        expectCode(.schemaViolation) { try Self.validate(TestCredential.payload(type: .vaccination).setting("nam", to: nil)) }
    }

    @Test(
        "transliterations must use ICAO 9303 characters (A-Z and <)",
        arguments: ["Testperson", "TEST PERSON", "TEST-PERSON", "TESTPERSÖN", "TEST'PERSON", "TESTPERSON1", "TESTPERSON\u{0}"]
    )
    func badTransliteration(value: String) {
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fnt", .text(value))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("gnt", .text(value))) }
    }

    @Test("ICAO filler and surrounding whitespace are accepted; whitespace is trimmed")
    func goodTransliteration() throws {
        #expect(try Self.validate(Self.withName("fnt", .text("TEST<PERSON"))).holder.familyNameTransliterated == "TEST<PERSON")
        let padded = try Self.validate(Self.withName("fnt", .text("  TESTPERSON \n")))
        #expect(padded.holder.familyNameTransliterated == "TESTPERSON")
        let paddedCountry = try Self.validate(Self.withEntry(.vaccination, "co", .text(" VN ")))
        #expect(paddedCountry.entry == .vaccination(doseNumber: 2, totalDoses: 2, date: "2022-03-01", country: "VN"))
    }

    @Test("names are capped at 80 characters")
    func nameLength() throws {
        let eighty = String(repeating: "A", count: 80)
        #expect(try Self.validate(Self.withName("fnt", .text(eighty))).holder.familyNameTransliterated == eighty)
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fnt", .text(eighty + "A"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fn", .text(eighty + "a"))) }
    }

    @Test("a given name without its transliteration is a schema violation")
    func givenNameWithoutTransliteration() {
        expectCode(.schemaViolation) { try Self.validate(Self.withName("gnt", nil)) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("gnt", .text(""))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("gnt", .null)) }
    }

    @Test("null optional fields count as absent")
    func nullOptionalFields() throws {
        let payload = Self.withName("gn", .null).setting("nam", to: Self.withName("gn", .null)["nam"]!.setting("gnt", to: .null))
        let certificate = try Self.validate(payload)
        #expect(certificate.holder.givenName == nil)
        #expect(certificate.holder.givenNameTransliterated == nil)
        let nullFamilyName = try Self.validate(Self.withName("fn", .null))
        #expect(nullFamilyName.holder.familyName == nil)
        // An optional test field (test name) as null.
        #expect(try Self.validate(Self.withEntry(.test, "nm", .null)).type == .test)
        #expect(try Self.validate(Self.withEntry(.test, "tc", .null)).type == .test)
    }

    @Test("a name field that is not text is a schema violation")
    func nonTextName() {
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fn", .integer(1))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withName("fnt", .array([]))) }
    }

    // MARK: Date of birth

    @Test("dates of birth matching (19|20)YY[-MM[-DD]] or empty are accepted", arguments: ["1980-01-01", "1980-01", "1980", "2001-12-31", "", "1978-01-26T00:00:00"])
    func goodDateOfBirth(dob: String) throws {
        let certificate = try Self.validate(TestCredential.payload(type: .vaccination).setting("dob", to: .text(dob)))
        #expect(certificate.holder.dateOfBirth == dob)
    }

    @Test(
        "dates of birth outside the pattern are refused",
        arguments: ["1815-08-24", "2180-01-01", "80-01-01", "1980-1-1", "1980-13-01", "1980-01-32", "1980/01/01", "19800101", "abcd", "1980-01-01-01", "١٩٨٠"]
    )
    func badDateOfBirth(dob: String) {
        expectCode(.schemaViolation) { try Self.validate(TestCredential.payload(type: .vaccination).setting("dob", to: .text(dob))) }
    }

    @Test("a missing date of birth is refused")
    func missingDateOfBirth() {
        expectCode(.schemaViolation) { try Self.validate(TestCredential.payload(type: .vaccination).setting("dob", to: nil)) }
    }

    @Test("a date of birth in a future year is refused; later this year is tolerated")
    func futureDateOfBirth() throws {
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Self.now).year!
        let payload = TestCredential.payload(type: .vaccination)
        for dob in ["\(year + 1)", "\(year + 1)-01", "\(year + 1)-01-01", "\(year + 5)-06-15"] {
            expectCode(.schemaViolation) { try Self.validate(payload.setting("dob", to: .text(dob))) }
        }
        for dob in ["\(year)", "\(year)-12-31", "\(year - 1)-12-31"] {
            #expect(try Self.validate(payload.setting("dob", to: .text(dob))).holder.dateOfBirth == dob)
        }
    }

    // MARK: Dose numbers

    @Test("dose numbers must be whole numbers 1 to 9", arguments: ["dn", "sd"])
    func doseNumbers(field: String) throws {
        for bad in [CBORValue.integer(0), .integer(10), .float(1.5), .float(0.0), .float(9.5), .integer(-1), .text("2"), .null, .float(.nan), .float(.infinity)] {
            expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, field, bad)) }
        }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, field, nil)) }
    }

    @Test("a whole-number float dose (IE) is accepted")
    func floatDose() throws {
        let payload = Self.withEntry(.vaccination, [("dn", .float(2.0)), ("sd", .float(3.0))])
        #expect(try Self.validate(payload).entry == .vaccination(doseNumber: 2, totalDoses: 3, date: "2022-03-01", country: "VN"))
        for n in 1...9 {
            let certificate = try Self.validate(Self.withEntry(.vaccination, "dn", .integer(Int64(n))))
            guard case .vaccination(let doseNumber, _, _, _) = certificate.entry else {
                Issue.record("not a vaccination")
                continue
            }
            #expect(doseNumber == n)
        }
    }

    // MARK: Country

    @Test("co must be an ISO 3166 code or empty", arguments: ["XY", "vn", "VNM", "EU", "X", "V N"])
    func badCountry(code: String) {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "co", .text(code))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.test, "co", .text(code))) }
    }

    @Test("an empty co, XK and ordinary codes are accepted", arguments: ["", "XK", "DE", "VN", "GR"])
    func goodCountry(code: String) throws {
        let certificate = try Self.validate(Self.withEntry(.recovery, "co", .text(code)))
        #expect(certificate.entry == .recovery(firstPositive: "2022-01-01", validFrom: "2022-01-15", validUntil: "2022-12-31", country: code))
    }

    @Test("a missing co is a schema violation", arguments: CertificateType.allCases)
    func missingCountry(type: CertificateType) {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(type, "co", nil)) }
    }

    // MARK: Required entry fields

    @Test(
        "every required entry field is required",
        arguments: [
            (CertificateType.vaccination, "tg"), (.vaccination, "is"), (.vaccination, "ci"), (.vaccination, "vp"), (.vaccination, "mp"),
            (.vaccination, "ma"), (.vaccination, "dt"), (.test, "tt"), (.test, "sc"), (.test, "tr"), (.test, "ci"),
            (.recovery, "fr"), (.recovery, "df"), (.recovery, "du"), (.recovery, "tg"),
        ]
    )
    func requiredField(type: CertificateType, field: String) {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(type, field, nil)) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(type, field, .integer(1))) }
    }

    @Test("an empty certificate identifier is refused")
    func emptyIdentifier() {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "ci", .text(""))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "ci", .text(String(repeating: "U", count: 81)))) }
    }

    @Test("dates and times in entries must parse")
    func entryDates() throws {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "dt", .text("2022-02-30x"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "dt", .text("01.03.2022"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.test, "sc", .text("2022-04-14"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.test, "sc", .text("2022-04-14T25:00:00Z"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.test, "dr", .text("yesterday"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.recovery, "du", .text("2022-06"))) }
        // Tolerated: a date-time where a date is expected (BG, PL), an empty dr (NL), sc under tag 0 (HU, SE).
        #expect(try Self.validate(Self.withEntry(.vaccination, "dt", .text("2022-03-01T10:00:00Z"))).type == .vaccination)
        #expect(try Self.validate(Self.withEntry(.test, "dr", .text(""))).type == .test)
        let tagged = CBORValue(.tagged(0, .text("2022-04-14T08:00:00+02:00")))
        let certificate = try Self.validate(Self.withEntry(.test, "sc", tagged))
        #expect(certificate.entry == .test(result: "260415000", sampleTime: "2022-04-14T08:00:00+02:00", country: "VN"))
    }

    @Test("signed numbers in entry dates are refused (a sample time in year 202 is not a date-time)")
    func signedDateFields() {
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.test, "sc", .text("+202-04-14T08:00:00Z"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.vaccination, "dt", .text("2022-+3-01"))) }
        expectCode(.schemaViolation) { try Self.validate(Self.withEntry(.recovery, "du", .text("2022-06-+1"))) }
    }
}
