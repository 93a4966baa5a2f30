import CodeScanning
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import JSON
import SmartHealthCards
import Testing
import TrustSources

/// Every case of `shc/MANIFEST.json`, each at its pinned clock, with the expected outcome read from the case's
/// `checkpoint_expectation`. Where the manifest leaves a choice to the checkpoint, the choice is made in
/// ``Expectation/init(_:)`` and documented in docs/formats/shc.md.
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"), .serialized)
struct SHCCorpusTests {
    static let specIssuer = "https://spec.smarthealth.cards/examples/issuer"
    /// The validator pins 2022-05-31; the spec examples are not valid before 2023-06-22T16:19:24Z.
    static let validatorClock = Date(timeIntervalSince1970: 1_653_955_200)
    static let specClock = Date(timeIntervalSince1970: 1_688_169_600)  // 2023-07-01

    struct Case: Sendable, CustomStringConvertible {
        let id: String
        let files: [String]
        let inputType: String
        let expectation: String
        var description: String { id }
    }

    /// What a case must end in, derived from its `checkpoint_expectation` text.
    enum Expectation: Equatable {
        case pass
        /// Fails; with the reason code the text names (revoked, expired, not yet valid), if any.
        case fail(CredentialError.Code?)
        case importAccepted
        case importRefused
        /// A malformed CRL: refused at import (fail closed), so the card's issuer is not trusted.
        case crlRefused
        case decodeOutput
        case issuerKeys
        case directory
        case noRead

        init(_ text: String) {
            switch text {
            case "import OK": self = .importAccepted
            case "reject key at trust-list import time": self = .importRefused
            case "expected decode output": self = .decodeOutput
            case _ where text.hasPrefix("trust store for iss"): self = .issuerKeys
            case _ where text.hasPrefix("example-00 ACCEPT with this directory"): self = .directory
            case _ where text.hasPrefix("NO READ"): self = .noRead
            case _ where text.contains("fail closed"): self = .crlRefused
            // Policy: GateCheck checks a card's authenticity, validity and SMART structure, not FHIR profiles or
            // optional vc types (the spec says verifiers ignore unknown ones): content-only findings pass.
            case _ where text.hasPrefix("content/policy check only"), _ where text.hasPrefix("signature OK; content check only"): self = .pass
            // Policy: an exp in milliseconds is simply a far-future exp.
            case _ where text.hasPrefix("treat as malformed / expired-far-future"): self = .pass
            // Policy: a byte-order mark before the payload JSON is refused, as the validator errors.
            case _ where text.hasPrefix("policy: REJECT"): self = .fail(.badJSON)
            // Identical rescans are deduplicated; what is left here still lacks a chunk.
            case _ where text.hasPrefix("dedupe identical rescans"): self = .fail(.badQRChunks)
            case _ where text.hasPrefix("ACCEPT"): self = .pass
            case _ where text.hasPrefix("REJECT_REVOKED"): self = .fail(.revoked)
            case _ where text.hasPrefix("REJECT_NOT_YET_VALID") || text.contains("not yet valid"): self = .fail(.notYetValid)
            case _ where text.hasPrefix("REJECT_EXPIRED"): self = .fail(.expired)
            case _ where text.hasPrefix("REJECT") || text.hasPrefix("WAIT/REJECT"): self = .fail(nil)
            default: self = .fail(nil)
            }
        }
    }

    /// Deliberate departures from the manifest, each with the outcome GateCheck gives instead.
    static let deviations: [String: Expectation] = [
        // The manifest says ACCEPT (its signature verifies with the example key), but the card names the older
        // example iss, which the corpus says to leave untrusted, has no nbf, and its vc.type lacks the health-card
        // type: GateCheck refuses it, first as unknown-issuer (the other two show in its tokenValidity and schema).
        "err-jws-too-long": .fail(.unknownIssuer)
    ]

    static let cases: [Case] = {
        guard TestCorpus.isAvailable, let bytes = try? TestCorpus.bytes("shc/MANIFEST.json"),
            let manifest = try? JSONParser.parse(bytes), let entries = manifest["cases"]?.array
        else { return [] }
        return entries.compactMap { entry in
            guard let id = entry["id"]?.string, let files = entry["files"]?.array?.compactMap(\.string), let type = entry["input_type"]?.string,
                let expectation = entry["checkpoint_expectation"]?.string
            else { return nil }
            return Case(id: id, files: files, inputType: type, expectation: expectation)
        }
    }()

    static func text(_ file: String) throws -> [UInt8] { try TestCorpus.bytes("shc/" + file) }

    static func wellKnown(_ folder: String, iss: String) throws -> SHCIssuerDirectory.Issuer {
        try VCISnapshot.readWellKnownFolder(TestCorpus.path("shc/" + folder), iss: iss)
    }

    static let specDirectory: SHCIssuerDirectory = {
        (try? SHCIssuerDirectory(issuers: [wellKnown("spec-examples/examples/issuer/.well-known/", iss: specIssuer)])) ?? .empty
    }()

    static func clock(for testCase: Case) -> Date {
        testCase.files.contains { $0.hasPrefix("spec-examples/") } ? specClock : validatorClock
    }

    @Test func manifestHasTheDocumentedCases() {
        #expect(Self.cases.count == 96)
        let keyCases = Self.cases.filter { $0.id.hasPrefix("key-") }
        #expect(keyCases.count == 14)
        #expect(keyCases.filter { Expectation($0.expectation) == .importAccepted }.count == 4)
        #expect(Self.cases.filter { $0.expectation.hasPrefix("ACCEPT") }.count == 30)
        #expect(Self.specDirectory.count == 2)
    }

    /// The manifest's "ACCEPT (signature OK)" for the too-long JWS, read literally: with the older example iss added
    /// on purpose (it has the spec issuer's keys), its signature verifies; the card still fails on its own content.
    @Test func theTooLongCardsSignatureVerifiesOnceItsOlderIssuerIsTrusted() throws {
        let olderIssuer = "https://smarthealth.cards/examples/issuer"
        // Its keys' x5c leaves name the newer iss, so the older one is added as a vetted directory would add it.
        let specKeys = try Self.wellKnown("spec-examples/examples/issuer/.well-known/", iss: Self.specIssuer)
        let jwks = try JSONParser.parse(Self.text("spec-examples/examples/issuer/.well-known/jwks.json"))
        let crl = try JSONParser.parse(Self.text("spec-examples/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"))
        let older = try SHCIssuerDirectory.Issuer(iss: olderIssuer, jwks: jwks, crls: [crl], x5c: .keyAndChainOnly)
        #expect(older.keys.keys.sorted() == specKeys.keys.keys.sorted())
        let directory = try SHCIssuerDirectory(issuers: [older])
        let testCase = try #require(Self.cases.first { $0.id == "err-jws-too-long" })
        let jws = try Self.text(try #require(testCase.files.first { $0.hasSuffix(".txt") }))
        let report = SHCVerifier(directory: directory).verify(jws: jws, in: VerificationContext(now: Self.validatorClock))
        #expect(report.outcome(of: .signature) == .ok)
        #expect(report.verdict == .fail, "no nbf and no health-card type: \(report.failure.map(\.description) ?? "-")")
        #expect(SHCVerifier(directory: Self.specDirectory).verify(jws: jws, in: VerificationContext(now: Self.validatorClock)).failure?.code == .unknownIssuer)
    }

    @Test func specExamplesReportTheirIssuerKidTypeAndHolder() throws {
        let verifier = SHCVerifier(directory: Self.specDirectory)
        let context = VerificationContext(now: Self.specClock)
        let vaccination = verifier.verify(jws: try Self.text("spec-examples/examples/example-00-d-jws.txt"), in: context)
        #expect(vaccination.type == .vaccination)
        #expect(vaccination.issuer == Self.specIssuer)
        #expect(vaccination.kid == (try Base64URL.decode("3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s")))
        #expect(vaccination.holder?.familyName == "Anyperson")
        #expect(vaccination.holder?.givenName == "John B.")
        #expect(vaccination.holder?.dateOfBirth == "1951-01-20")
        let lab = verifier.verify(jws: try Self.text("spec-examples/examples/example-02-d-jws.txt"), in: context)
        #expect(lab.type == .test)
        #expect(lab.holder == nil)  // the lab report names no Patient
        // Example 03 is revoked from the start and, from 2024-06-21, expired as well.
        let late = VerificationContext(now: Date(timeIntervalSince1970: 1_719_000_000))
        let revoked = verifier.verify(jws: try Self.text("spec-examples/examples/example-03-d-jws.txt"), in: late)
        #expect(revoked.outcome(of: .revocation).error?.code == .revoked)
        #expect(revoked.outcome(of: .tokenValidity).error?.code == .expired)
        // At the validator's clock the spec examples are not valid yet.
        let early = verifier.verify(
            jws: try Self.text("spec-examples/examples/example-00-d-jws.txt"), in: VerificationContext(now: Self.validatorClock))
        #expect(early.failure?.code == .notYetValid)
    }

    @Test(arguments: cases)
    func manifestCase(_ testCase: Case) throws {
        let expected = Self.deviations[testCase.id] ?? Expectation(testCase.expectation)
        let context = VerificationContext(now: Self.clock(for: testCase))
        let verifier = SHCVerifier(directory: Self.specDirectory)
        switch expected {
        case .pass, .fail:
            let inputs = try Self.reports(testCase, verifier: verifier, context: context)
            #expect(!inputs.isEmpty && inputs.allSatisfy { !$0.isEmpty }, "\(testCase.id): nothing was verified")
            for reports in inputs { Self.check(reports, expected, testCase) }
        case .importAccepted, .importRefused:
            let jwks = try JSONParser.parse(Self.text(testCase.files[0]))
            // The x5c chains of the key tests name the older example iss.
            let result = Result { try SHCIssuerDirectory.Issuer(iss: "https://smarthealth.cards/examples/issuer", jwks: jwks) }
            if expected == .importAccepted {
                #expect(throws: Never.self, "\(testCase.id)") { try result.get() }
            } else {
                #expect(throws: CredentialError.self, "\(testCase.id)") { try result.get() }
            }
        case .crlRefused:
            let folder = try #require(testCase.files.first { $0.hasSuffix("/.well-known/jwks.json") }).dropLast("jwks.json".count)
            let jws = try Self.text(try #require(testCase.files.first { $0.hasSuffix(".txt") }))
            let card = try SHCCompactJWS(jws)
            #expect(throws: TrustSourceError.self, "\(testCase.id)") { try Self.wellKnown(String(folder), iss: card.payload.issuer) }
            Self.check([verifier.verify(jws: jws, in: context)], .fail(.unknownIssuer), testCase)
            // The same card against the folder's keys alone verifies: only the CRL is at fault.
            let jwks = try JSONParser.parse(Self.text(String(folder) + "jwks.json"))
            let keysOnly = try #require(
                jwks["keys"]?.array?.map { key -> JSONValue in
                    var object = key.object ?? JSONObject()
                    object["crlVersion"] = nil
                    return .object(object)
                })
            let directory = try SHCIssuerDirectory(issuers: [.init(iss: card.payload.issuer, keys: keysOnly, crls: [])])
            #expect(SHCVerifier(directory: directory).verify(jws: jws, in: context).outcome(of: .signature) == .ok)
        case .decodeOutput:
            let number = testCase.id.dropFirst("spec-".count).prefix(2)
            let card = try SHCCompactJWS(Self.text("spec-examples/examples/example-\(number)-d-jws.txt"))
            let minified = try Self.text(try #require(testCase.files.first { $0.hasSuffix("-c-jws-payload-minified.json") }))
            #expect(card.payloadJSON == Array(minified.prefix { $0 != 0x0A }))
            let bundle = try JSONParser.parse(Self.text(try #require(testCase.files.first { $0.hasSuffix("-a-fhirBundle.json") })))
            #expect(card.payload.json["vc"]?["credentialSubject"]?["fhirBundle"] == bundle)
            let expanded = try JSONParser.parse(Self.text(try #require(testCase.files.first { $0.hasSuffix("-b-jws-payload-expanded.json") })))
            #expect(card.payload.json == expanded)
        case .issuerKeys:
            let issuer = try #require(Self.specDirectory.issuers[Self.specIssuer])
            #expect(issuer.keys.count == 2)
            #expect(issuer.keys["3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"]?.crlVersion == 1)
            #expect(issuer.revocationLists.count == 1)
        case .directory:
            // The validator's test directory names the spec issuer: with its keys, example 00 passes; with the
            // real VCI directory, whose issuers do not include it, it fails as unknown-issuer.
            let listed = try JSONParser.parse(Self.text(testCase.files[0]))["participating_issuers"]?.array?.compactMap { $0["iss"]?.string }
            #expect(listed == [Self.specIssuer])
            let jws = try Self.text("spec-examples/examples/example-00-d-jws.txt")
            let at = VerificationContext(now: Self.specClock)
            #expect(verifier.verify(jws: jws, in: at).verdict == .pass)
            let vci = try VCISnapshotTests.snapshotDirectory()
            #expect(SHCVerifier(directory: vci).verify(jws: jws, in: at).outcome(of: .signature).error?.code == .unknownIssuer)
        case .noRead:
            for file in testCase.files { #expect(try Self.scan(file).isEmpty, "\(testCase.id)") }
        }
    }

    /// One input's reports (a file may hold several cards): it passes when every card does.
    static func check(_ reports: [VerificationReport], _ expected: Expectation, _ testCase: Case) {
        switch expected {
        case .pass:
            for report in reports { #expect(report.verdict == .pass, "\(testCase.id): \(report.steps)") }
        case .fail(let code):
            let failed = reports.filter { $0.verdict == .fail }
            #expect(!failed.isEmpty, "\(testCase.id)")
            if let code {
                #expect(
                    failed.contains { report in report.checkedSteps.contains { report.outcome(of: $0).error?.code == code } },
                    "\(testCase.id): \(failed.map(\.steps))")
            }
        default:
            Issue.record("\(testCase.id): not a verdict expectation")
        }
    }

    /// Verifies a case's inputs as its input type says: per input (a set of QR scans, a file), one report per card.
    static func reports(_ testCase: Case, verifier: SHCVerifier, context: VerificationContext) throws -> [[VerificationReport]] {
        let type = testCase.inputType
        if type.hasPrefix("qrnumeric") {
            return [[verifier.verify(scans: try testCase.files.map(text), in: context)]]
        }
        if type.hasPrefix("qr-image") {
            let images = testCase.files.filter { !$0.hasSuffix(".svg") || !testCase.files.contains(pngFor($0)) }.map {
                $0.hasSuffix(".svg") ? pngFor($0) : $0
            }
            var scans: [[UInt8]] = []
            for image in images { scans += try scan(image) }
            return [[verifier.verify(scans: scans, in: context)]]
        }
        if type == "jwspayload" || type == "fhirbundle" {
            return try testCase.files.map { [try resigned(text($0), isBundle: type == "fhirbundle", context: context)] }
        }
        // JWS text, .smart-health-card files, FHIR $health-cards-issue responses, and a key set beside them.
        var reports: [[VerificationReport]] = []
        for file in testCase.files {
            let bytes = try text(file)
            if file.hasSuffix(".txt") {
                reports.append([verifier.verify(jws: bytes, in: context)])
            } else if file.contains("/.well-known/") {
                #expect(throws: TrustSourceError.self) { try wellKnown(String(file.dropLast("jwks.json".count)), iss: "https://unused.example") }
            } else if file.hasSuffix(".not.smart.json") {
                continue  // a key set of another issuer: the card's kid is not the spec issuer's
            } else {
                reports.append(try SHCHealthCardFile.credentials(in: bytes).map { verifier.verify(jws: $0, in: context) })
            }
        }
        return reports
    }

    /// A payload-only fixture signed by a test key for its own `iss`, then verified against that key alone: the
    /// verifier sees the fixture's claims exactly as written.
    static func resigned(_ fixture: [UInt8], isBundle: Bool, context: VerificationContext) throws -> VerificationReport {
        let issuer = try SHCTestIssuer(iss: specIssuer)
        var payload = fixture
        if isBundle {
            // A bare bundle: wrapped in the claims of the validator's own example card.
            let bundle = String(decoding: fixture, as: UTF8.self)
            let type = "https://smarthealth.cards#health-card"
            let claims = #"{"iss":"\#(specIssuer)","nbf":1622578753.17,"vc":{"type":["\#(type)"],"#
            payload = Array((claims + #""credentialSubject":{"fhirVersion":"4.0.1","fhirBundle":\#(bundle)}}}"#).utf8)
        }
        return SHCVerifier(directory: try issuer.directory).verify(jws: try issuer.jws(payloadJSON: payload), in: context)
    }

    static func pngFor(_ svg: String) -> String {
        "spec-examples/rendered-png/" + (svg.split(separator: "/").last.map(String.init) ?? svg).replacingOccurrences(of: ".svg", with: ".png")
    }

    /// zbar on the image, and on it doubled when nothing is found at first (tiny codes need upscaling).
    static func scan(_ file: String) throws -> [[UInt8]] {
        let scanner = try QRScanner()
        let image = try ImageFile.load(contentsOf: TestCorpus.path("shc/" + file))
        var codes = scanner.scan(image)
        if codes.isEmpty, let doubled = image.doubled() { codes = scanner.scan(doubled) }
        if codes.isEmpty, let quadrupled = image.doubled()?.doubled() { codes = scanner.scan(quadrupled) }
        return codes.map(\.payload)
    }
}
