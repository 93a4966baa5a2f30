import CBOR
import CodeScanning
import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import Testing

/// Runs the EU dgc-testdata corpus (582 cases) through GateCheck and compares every checkable
/// `EXPECTED*` flag. Disagreements must be listed, with a reason, in `Tests/dcc-conformance-deviations.tsv`;
/// a listed deviation that no longer occurs fails too, so the list stays true.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct DCCConformanceTests {
    struct Deviation: Hashable {
        let casePath: String
        let flag: String
    }

    static func listedDeviations() throws -> [Deviation: String] {
        let url = TestCorpus.repository.appendingPathComponent("Tests/dcc-conformance-deviations.tsv")
        var deviations: [Deviation: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", maxSplits: 2).map(String.init)
            guard columns.count == 3, !columns[2].isEmpty else {
                Issue.record("malformed deviation line (needs case, flag, reason): \(line)")
                continue
            }
            deviations[Deviation(casePath: columns[0], flag: columns[1])] = columns[2]
        }
        return deviations
    }

    @Test func corpusAgreesWithExpectedResults() throws {
        let cases = try DCCTestCase.loadAll(under: TestCorpus.url("dgc-testdata"))
        #expect(cases.count == 582, "the corpus should hold 582 cases")
        let deviations = try Self.listedDeviations()
        let scanner = try QRScanner()

        var table: [String: (agree: Int, listed: Int, unlisted: Int)] = [:]
        var seenDeviations = Set<Deviation>()
        var algorithms: [COSEAlgorithm: Int] = [:]
        for testCase in cases {
            let evaluation = ConformanceEvaluation(testCase, scanner: scanner)
            if let algorithm = evaluation.algorithm, evaluation.actual["VERIFY"] == true { algorithms[algorithm, default: 0] += 1 }
            for flag in DCCTestCase.checkableFlags {
                guard let expected = testCase.expected[flag], let actual = evaluation.actual[flag] else { continue }
                let key = Deviation(casePath: testCase.path, flag: flag)
                var row = table[flag, default: (0, 0, 0)]
                if expected == actual {
                    row.agree += 1
                    if deviations[key] != nil {
                        Issue.record("\(testCase.path) \(flag) is listed as a deviation but now agrees: remove it from the list")
                    }
                } else if deviations[key] != nil {
                    row.listed += 1
                    seenDeviations.insert(key)
                } else {
                    row.unlisted += 1
                    Issue.record("\(testCase.path) \(flag): expected \(expected), GateCheck says \(actual) \(evaluation.notes[flag] ?? "")")
                }
                table[flag] = row
            }
        }

        print("EU DCC conformance (\(cases.count) cases)")
        print("flag               agree  listed-deviation  unlisted")
        var agreed = 0
        var listed = 0
        var unlisted = 0
        for flag in DCCTestCase.checkableFlags {
            let row = table[flag, default: (0, 0, 0)]
            print(flag.padding(toLength: 18, withPad: " ", startingAt: 0), String(row.agree).leftPadded(6), String(row.listed).leftPadded(17), String(row.unlisted).leftPadded(9))
            agreed += row.agree
            listed += row.listed
            unlisted += row.unlisted
        }
        let agreement = Double(agreed) / Double(max(1, agreed + listed + unlisted)) * 100
        print("agreement \(String(format: "%.2f", agreement))% of \(agreed + listed + unlisted) checks; \(listed) listed deviations (expected failures)")
        print("verified signatures by algorithm: \(algorithms.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", "))")
        // Listed deviations are expected failures: "failed" counts only the disagreements nobody explained.
        print("conformance: \(agreed) passed, \(unlisted) failed")

        #expect(agreement >= 99.0)
        #expect((algorithms[.es256] ?? 0) > 0 && (algorithms[.ps256] ?? 0) > 0, "both ES256 and PS256 must be exercised")
        for stale in Set(deviations.keys).subtracting(seenDeviations) where cases.contains(where: { $0.path == stale.casePath }) {
            if table[stale.flag] != nil, cases.first(where: { $0.path == stale.casePath })?.expected[stale.flag] == nil {
                Issue.record("deviation \(stale.casePath) \(stale.flag) names a flag the case does not set")
            }
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// GateCheck's answer for each flag of one case.
struct ConformanceEvaluation {
    var actual: [String: Bool] = [:]
    var notes: [String: String] = [:]
    var algorithm: COSEAlgorithm?

    init(_ testCase: DCCTestCase, scanner: QRScanner) {
        let prefixed = testCase.string("PREFIX")

        if let prefixed {
            let unprefixed = try? HC1Encoding.unprefixed(Array(prefixed.utf8))
            actual["UNPREFIX"] = unprefixed != nil && testCase.string("BASE45").map { Array($0.utf8) == unprefixed.map(Array.init) } ?? true
        }

        let base45 = testCase.string("BASE45")
        var compressed = testCase.bytes(hex: "COMPRESSED")
        if let base45 {
            let decoded = try? Base45.decode(Array(base45.utf8))
            actual["B45DECODE"] = decoded != nil && (compressed.map { $0 == decoded } ?? true)
            compressed = compressed ?? decoded
        }

        var cose = testCase.bytes(hex: "COSE")
        if let compressed {
            do {
                let inflated = try HC1Encoding.inflate(compressed)
                actual["COMPRESSION"] = cose.map { $0 == inflated } ?? true
                cose = cose ?? inflated
            } catch {
                actual["COMPRESSION"] = false
                notes["COMPRESSION"] = error.description
            }
        }

        if let image = testCase.qrImage, let prefixed {
            let texts = (try? ImageFile.decode(image)).map { scanner.scan($0).compactMap(\.text) } ?? []
            actual["PICTUREDECODE"] = texts.contains(prefixed)
        } else if testCase.qrImage != nil || testCase.expected["PICTUREDECODE"] == false {
            actual["PICTUREDECODE"] = false
        }

        guard let cose, let der = testCase.certificateDER, let certificate = try? Certificate(derEncoded: der) else {
            notes["VERIFY"] = "no COSE or certificate"
            return
        }
        let signer = DocumentSigner(certificate: certificate)
        let clock = testCase.validationClock
        let context = VerificationContext(now: clock ?? Date(timeIntervalSince1970: 0))
        let report = HC1Verifier(trustList: TrustList([signer])).verify(coseBytes: cose, in: context)
        notes = notes.merging(Dictionary(uniqueKeysWithValues: VerificationStep.allCases.map { ("\($0)", "\(report.outcome(of: $0))") })) { a, _ in a }
        actual["VERIFY"] = report.outcome(of: .signature) == .ok
        notes["VERIFY"] = report.outcome(of: .signature).description + " " + (report.outcome(of: .signature).error?.detail ?? "")
        actual["DECODE"] = report.outcome(of: .decode) == .ok

        guard let message = try? COSESign1(decoding: cose), let claims = try? CWTClaims(decoding: message.payload) else {
            notes["DECODE"] = report.outcome(of: .decode).error?.detail
            return
        }
        algorithm = message.algorithm
        if let json = testCase.fields["JSON"], !JSONComparison.equal(claims.healthCertificate, json) {
            actual["DECODE"] = false
            notes["DECODE"] = "CBOR payload differs from JSON"
        }
        actual["SCHEMAVALIDATION"] = report.outcome(of: .schema) == .ok
        notes["SCHEMAVALIDATION"] = report.outcome(of: .schema).error?.detail

        // Key usage and expiry are judged against the case's DSC even when the signature fails.
        let dcc = try? DCCSchema.validate(claims.healthCertificate, at: context.now)
        let candidate = DecodedCredential(message: message, claims: claims, signer: signer, certificate: dcc)
        let keyUsage = KeyUsagePolicy().evaluate(candidate, in: context)
        if keyUsage != .skipped { actual["KEYUSAGE"] = keyUsage == .ok }
        notes["KEYUSAGE"] = "\(keyUsage) ekus=\(certificate.extendedKeyUsageOIDs ?? [])"
        if clock != nil {
            let signerValidity = SignerValidityPolicy().evaluate(candidate, in: context)
            let tokenValidity = TokenValidityPolicy().evaluate(candidate, in: context)
            actual["EXPIRATIONCHECK"] = signerValidity == .ok && tokenValidity == .ok
            notes["EXPIRATIONCHECK"] = "signer \(signerValidity), token \(tokenValidity)"
        }
    }
}

/// Compares a CBOR payload with the case's JSON, ignoring key order and int/float spelling.
enum JSONComparison {
    static func equal(_ value: CBORValue, _ json: Any) -> Bool {
        switch value.content {
        case .map(let entries):
            guard let object = json as? [String: Any], object.count == entries.count else { return false }
            return entries.allSatisfy { entry in
                guard let key = entry.key.string, let other = object[key] else { return false }
                return equal(entry.value, other)
            }
        case .array(let items):
            guard let array = json as? [Any], array.count == items.count else { return false }
            return zip(items, array).allSatisfy { equal($0, $1) }
        case .textString(let text):
            return (json as? String) == text
        case .bool(let flag):
            return (json as? Bool) == flag
        case .tagged(0, let inner):
            return equal(inner, json)  // a tagged date/time string is the same text
        case .null:
            return json is NSNull
        case .unsigned, .negative, .float:
            guard let number = value.number, let other = (json as? NSNumber)?.doubleValue else { return false }
            return number == other
        default:
            return false
        }
    }
}
