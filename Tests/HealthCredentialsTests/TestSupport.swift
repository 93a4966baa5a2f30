import CBOR
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing

/// Issuers shared across tests: generated once per test process (RSA key generation is the slow part).
enum Issuers {
    static let es256 = try! TestIssuer(algorithm: .es256, country: "XX")
    static let ps256 = try! TestIssuer(algorithm: .ps256, country: "XX")
    /// A second, unrelated ES256 issuer (for wrong-key cases).
    static let otherES256 = try! TestIssuer(algorithm: .es256, country: "YY")

    static func issuer(_ algorithm: COSEAlgorithm) -> TestIssuer {
        algorithm == .es256 ? es256 : ps256
    }

    /// An ES256 issuer whose DSC has exactly these EKU OIDs (nil: no EKU extension) and validity.
    static func make(
        extendedKeyUsageOIDs: [String]? = nil,
        notBefore: Date = utc(2020, 1, 1),
        notAfter: Date = utc(2030, 1, 1),
        country: String = "XX"
    ) throws -> TestIssuer {
        let key = try PrivateKey.generateP256()
        let template = CertificateTemplate(
            commonName: "HealthCredentialsTests DSC", country: country, notBefore: notBefore, notAfter: notAfter,
            extendedKeyUsageOIDs: extendedKeyUsageOIDs
        )
        let certificate = try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key)
        return TestIssuer(key: key, certificate: certificate, algorithm: .es256)
    }
}

/// The personal data in `TestCredential`'s default holder: none of it may ever show up in a description.
enum HolderData {
    static let familyName = "Testperson"
    static let familyNameTransliterated = "TESTPERSON"
    static let givenName = "Anna"
    static let dateOfBirth = "1980-01-01"
    static let all = [familyName, familyNameTransliterated, givenName, dateOfBirth]

    /// The first piece of personal data found in `text` (case-sensitive, as written), if any.
    static func leaked(in text: String) -> String? {
        all.first { text.contains($0) }
    }
}

/// Runs `body` and returns the `CredentialError` it threw, recording an issue when it threw nothing.
@discardableResult
func credentialError<T>(
    _ body: () throws -> T, recordsSuccess: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) -> CredentialError? {
    do {
        let value = try body()
        if recordsSuccess { Issue.record("expected a CredentialError, got \(value)", sourceLocation: sourceLocation) }
        return nil
    } catch let error as CredentialError {
        return error
    } catch {
        Issue.record("expected a CredentialError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects `body` to throw a `CredentialError` with `code`.
func expectCode<T>(
    _ code: CredentialError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    let error = credentialError(body, recordsSuccess: false, sourceLocation: sourceLocation)
    #expect(error?.code == code, "got \(error.map { "\($0)" } ?? "no error")", sourceLocation: sourceLocation)
}

// MARK: - CBOR editing

extension CBORValue {
    /// A map with `key` set to `value` (appended if absent), or removed when `value` is nil.
    func setting(_ key: String, to value: CBORValue?) -> CBORValue {
        setting(.text(key), to: value)
    }

    func setting(_ key: Int64, to value: CBORValue?) -> CBORValue {
        setting(.integer(key), to: value)
    }

    func setting(_ key: CBORValue, to value: CBORValue?) -> CBORValue {
        var entries = (mapEntries ?? []).map { ($0.key, $0.value) }
        if let index = entries.firstIndex(where: { $0.0 == key }) {
            if let value { entries[index].1 = value } else { entries.remove(at: index) }
        } else if let value {
            entries.append((key, value))
        }
        return .map(entries)
    }

    static let null = CBORValue(.null)
    static func float(_ value: Double) -> CBORValue { CBORValue(.float(value)) }
}

/// The four items of a COSE_Sign1 message, whatever tags surround it.
func coseParts(_ bytes: [UInt8]) throws -> [CBORValue] {
    var value = try CBORParser.decode(bytes)
    while case .tagged(_, let inner) = value.content { value = inner }
    return try #require(value.arrayItems)
}

/// Canonical bytes of a COSE_Sign1 array (untagged) from its items.
func coseMessage(_ parts: [CBORValue], tag: UInt64? = 18) -> [UInt8] {
    let array = CBORValue.array(parts)
    return Array((tag.map { CBORValue(.tagged($0, array)) } ?? array).encodedBytes)
}

// MARK: - Corpus

extension TestCorpus {
    static let deTestList = "trustlists/de-test/dsc-list.json"
    static let deTestKey = "trustlists/de-test/dsc-list-signing-key.pem"
    static let deProdKey = "trustlists/de-prod/dsc-list-signing-key.pem"
}
