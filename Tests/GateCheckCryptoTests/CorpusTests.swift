import Foundation
import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto


@Suite("Real-world corpus", .enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct CorpusTests {
    struct TestCase {
        var path: String
        var certificateField: String
    }

    /// Every dgc-testdata case file (`*.json` plus the extension-less `QR`) that carries `TESTCTX.CERTIFICATE`.
    static func dgcCases() throws -> [TestCase] {
        let base = TestCorpus.url("dgc-testdata")
        let enumerator = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil))
        var cases: [TestCase] = []
        for case let url as URL in enumerator where url.pathExtension == "json" || url.lastPathComponent == "QR" {
            let data = try Data(contentsOf: url)
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let context = object["TESTCTX"] as? [String: Any],
                let certificate = context["CERTIFICATE"] as? String
            else { continue }
            cases.append(TestCase(path: String(url.path.dropFirst(base.path.count + 1)), certificateField: certificate))
        }
        return cases.sorted { $0.path < $1.path }
    }

    static func der(from field: String) -> [UInt8]? {
        if field.contains("-----BEGIN") {
            return PEM.derBlocks(in: field, label: "CERTIFICATE").first
        }
        return Data(base64Encoded: field, options: .ignoreUnknownCharacters).map { [UInt8]($0) }
    }

    @Test func everyDGCTestDataCertificateParses() throws {
        let cases = try Self.dgcCases()
        #expect(cases.count == 582)
        var kinds: [PublicKey.Kind: Int] = [:]
        var withoutEKU = 0
        var failures: [String] = []
        for testCase in cases {
            guard let der = Self.der(from: testCase.certificateField) else {
                failures.append("\(testCase.path): not base64/PEM")
                continue
            }
            do {
                let certificate = try Certificate(derEncoded: der)
                kinds[certificate.publicKey.kind, default: 0] += 1
                if certificate.extendedKeyUsageOIDs == nil { withoutEKU += 1 }
                #expect(certificate.notBefore < certificate.notAfter, "\(testCase.path)")
                #expect(certificate.sha256Fingerprint == Digest.sha256(der))
            } catch {
                failures.append("\(testCase.path): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10))")
        // Counts from notes/eu-dcc.md §3.3.
        #expect(kinds[.ec(curve: "prime256v1")] == 564)
        #expect(kinds[.rsa(bits: 2048)] == 14)
        #expect(kinds[.rsa(bits: 3072)] == 1)
        #expect(kinds[.ec(curve: "secp384r1")] == 3)
        #expect(withoutEKU == 116)
    }

    /// CO15: an EKU extension that is an empty SEQUENCE reads as present-but-empty, not absent.
    @Test func emptyEKUSequenceIsEmptyNotAbsent() throws {
        let data = try Data(contentsOf: TestCorpus.url("dgc-testdata/common/2DCode/raw/CO15.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let field = try #require((object["TESTCTX"] as? [String: Any])?["CERTIFICATE"] as? String)
        let certificate = try Certificate(derEncoded: try #require(Self.der(from: field)))
        #expect(certificate.extendedKeyUsageOIDs == [])
    }

    /// The German (ubirch) DSC list: line 1 is base64 raw ECDSA P-256 r‖s over everything after the first newline.
    @Test(arguments: ["trustlists/de-test", "trustlists/de-prod"])
    func germanTrustListSignatureVerifies(folder: String) throws {
        let file = [UInt8](try Data(contentsOf: TestCorpus.url("\(folder)/dsc-list.json")))
        let key = try PublicKey(
            pem: String(decoding: try Data(contentsOf: TestCorpus.url("\(folder)/dsc-list-signing-key.pem")), as: UTF8.self)
        )
        #expect(key.kind == .ec(curve: "prime256v1"))
        let newline = try #require(file.firstIndex(of: UInt8(ascii: "\n")))
        let signature = try #require(Data(base64Encoded: Data(file[..<newline])).map { [UInt8]($0) })
        let content = Array(file[(newline + 1)...])
        #expect(content.first == UInt8(ascii: "{"))
        #expect(signature.count == 64)
        #expect(key.verify(signature: signature, for: content, algorithm: .es256) == .valid)

        var tampered = content
        tampered[tampered.count / 2] ^= 0x01
        #expect(key.verify(signature: signature, for: tampered, algorithm: .es256) == .invalid)
        #expect(key.verify(signature: signature, for: content + [0x0A], algorithm: .es256) == .invalid)
        var badSignature = signature
        badSignature[5] ^= 0x10
        #expect(key.verify(signature: badSignature, for: content, algorithm: .es256) == .invalid)
        #expect(key.verify(signature: signature, for: content, algorithm: .ps256) == .keyMismatch)
    }
}
