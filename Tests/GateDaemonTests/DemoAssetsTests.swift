import AdmissionRules
import CodeScanning
import DaemonSupport
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import Glibc
import HealthCredentials
import Imaging
import Testing
import TrustSources
import TrustStore

/// The demo folder `gatecheckd --demo` plays: the committed one, and one the generator makes afresh,
/// must each behave exactly as its `expected.tsv` says when run through the real pipeline (trust
/// bundle installed with the demo anchor, frames read by zbar, verified now under the bundle's rules).
@Suite struct DemoAssetsTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let committedDemo = repository.appendingPathComponent("demo").path

    @Test func committedDemoGetsTheExpectedDecisions() throws {
        try Self.expectDemoFolderBehaves(Self.committedDemo)
    }

    @Test(.enabled(if: GeneratorBinary.isAvailable))
    func freshlyGeneratedDemoGetsTheExpectedDecisions() throws {
        let scratch = try TemporaryDirectory("demo-test")
        let output = scratch.path + "/demo"
        let generated = try GeneratorBinary.run([output])
        try #require(generated.status == 0, "generator failed: \(generated.standardError)")
        try Self.expectDemoFolderBehaves(output)

        // A second run must not overwrite without --force; with it, the keys are new.
        let anchorBefore = try String(contentsOfFile: output + "/anchors/demo-anchor.pem", encoding: .utf8)
        let refused = try GeneratorBinary.run([output])
        #expect(refused.status != 0, "a non-empty folder was overwritten without --force")
        let forced = try GeneratorBinary.run([output, "--force"])
        try #require(forced.status == 0, "generator --force failed: \(forced.standardError)")
        #expect(try String(contentsOfFile: output + "/anchors/demo-anchor.pem", encoding: .utf8) != anchorBefore)
        try Self.expectDemoFolderBehaves(output)
    }

    // MARK: The checks

    /// One line of `expected.tsv`.
    struct ExpectedFrame {
        let file: String
        let verdict: String
        let reason: String
        let description: String
        /// `-`, or the failing rule identifiers joined by commas.
        let rules: String
    }

    static func expectedFrames(in folder: String) throws -> [ExpectedFrame] {
        let text = try String(contentsOfFile: folder + "/expected.tsv", encoding: .utf8)
        #expect(text.hasPrefix("#"), "expected.tsv starts with a # header line")
        var frames: [ExpectedFrame] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 5, "expected.tsv line has \(fields.count) fields, not 5: \(line)")
            let frame = ExpectedFrame(file: fields[0], verdict: fields[1], reason: fields[2], description: fields[3], rules: fields[4])
            #expect(frame.verdict == "pass" || frame.verdict == "fail", "\(frame.file): verdict \(frame.verdict)")
            #expect((frame.verdict == "pass") == (frame.reason == "-"), "\(frame.file): reason \(frame.reason) for \(frame.verdict)")
            #expect(!frame.description.isEmpty, "\(frame.file): no description")
            // Rule identifiers only, and only where a rule decided.
            #expect(frame.rules == "-" || frame.rules.split(separator: ",").allSatisfy { Decision.RuleIdentifier(String($0)) != nil }, "\(frame.file)")
            #expect((frame.rules != "-") == ["rule-failed", "rule-error"].contains(frame.reason), "\(frame.file): rules \(frame.rules)")
            frames.append(frame)
        }
        return frames
    }

    static func expectDemoFolderBehaves(_ folder: String) throws {
        let expected = try expectedFrames(in: folder)
        #expect(Set(expected.map(\.verdict)) == ["pass", "fail"], "the demo shows both verdicts")
        #expect(expected.contains { $0.reason == "rule-failed" }, "the demo shows a credential that is authentic but not admissible")

        // Every frame listed, and nothing listed that is not there.
        let pngs = try FileManager.default.contentsOfDirectory(atPath: folder + "/frames").filter { $0.hasSuffix(".png") }
        #expect(Set(pngs) == Set(expected.map(\.file)), "frames/ and expected.tsv list different files")
        #expect(expected.count == Set(expected.map(\.file)).count, "expected.tsv lists a file twice")
        #expect(try folderSize(folder) < 200_000, "the demo folder should stay small")

        // The trust material is labelled DEMO all the way down and outlives the bundle's first years.
        let anchors = try TrustAnchors.load(directory: folder + "/anchors")
        for anchor in anchors {
            #expect(anchor.subjectCommonName?.contains("DEMO") == true, "anchor \(anchor.subjectCommonName ?? "?")")
        }
        let scratch = try TemporaryDirectory("demo-test")
        let store = TrustStoreDirectory(path: scratch.path + "/state")
        let now = Date()
        try store.install(from: realPath(folder + "/trust/gatecheck-trust.bundle"), anchors: anchors, now: now)
        let installed = try store.load(anchors: anchors)
        let signerName = installed.bundle.signerCertificate.subjectCommonName
        #expect(signerName?.contains("DEMO") == true, "bundle signer \(signerName ?? "?")")
        for signer in installed.trust.hcert.allSigners {
            #expect(signer.certificate.subjectCommonName?.contains("DEMO") == true, "DSC \(signer.certificate.subjectCommonName ?? "?")")
        }
        let manifest = installed.manifest
        let fiveYearsOn = Calendar(identifier: .gregorian).date(byAdding: .year, value: 5, to: manifest.issuedAt)!
        #expect(manifest.notAfter >= fiveYearsOn, "bundle valid from \(manifest.issuedAt) only to \(manifest.notAfter)")

        // The rules are those of one country, and last as long as the bundle.
        let rules = try #require(installed.bundle.rules, "the demo bundle carries admission rules")
        let country = try #require(try GateDemo.ruleCountry(rules))
        for rule in rules.rules {
            #expect(rule.isValid(at: now) && rule.validTo == manifest.notAfter, "\(rule.identifier) valid \(rule.validFrom) to \(rule.validTo)")
        }
        #expect(rules.missingValueSets(in: installed.bundle.valueSets ?? .empty).isEmpty)

        // Each frame through zbar and the verifier, as the daemon runs them: under the country's rules, as
        // `gatecheckd --demo` configures itself.
        let policy = AdmissionPolicy(rules: rules, valueSets: installed.bundle.valueSets ?? .empty, arrivalCountry: country)
        let verifier = installed.verifier(admission: policy)
        let authenticity = installed.verifier(admission: nil)
        let scanner = try QRScanner()
        for frame in expected {
            let image = try ImageFile.load(contentsOf: folder + "/frames/" + frame.file)
            #expect(image.width == 640 && image.height == 480, "\(frame.file) is \(image.width)×\(image.height)")
            let codes = scanner.scan(image)
            try #require(codes.count == 1, "\(frame.file): zbar found \(codes.count) codes")
            let report = verifier.verify(payload: codes[0].payload, in: VerificationContext(now: now))
            let failure = report.failure.map(\.description) ?? "none"
            #expect(report.verdict.rawValue == frame.verdict, "\(frame.file): \(report.verdict.rawValue), failure \(failure)")
            #expect((report.failure?.code.description ?? "-") == frame.reason, "\(frame.file): failure \(failure)")
            #expect((report.failedRules.isEmpty ? "-" : report.failedRules.joined(separator: ",")) == frame.rules, "\(frame.file)")
            if frame.reason == "rule-failed" {
                // Refused by the rules alone: without them, the same credential passes as authentic.
                #expect(authenticity.verify(payload: codes[0].payload, in: VerificationContext(now: now)).verdict == .pass, "\(frame.file)")
            }
        }
    }

    static func folderSize(_ folder: String) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    /// The trust store refuses a bundle path through a symbolic link (macOS's /tmp is one, a checkout may sit under one).
    static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    // MARK: Helpers

    /// The built `gatecheck-demo-assets`, beside the test bundle in the build folder. It is not a dependency of this
    /// test target, but `swift build` and `swift test` build every product, so it is normally there.
    enum GeneratorBinary {
        static let executable = builtExecutable("gatecheck-demo-assets", orInDebugBuild: false)

        static let isAvailable: Bool = {
            if executable == nil {
                print("NOTICE: gatecheck-demo-assets is not built beside the tests; the fresh-generation test is SKIPPED")
            }
            return executable != nil
        }()

        static func run(_ arguments: [String]) throws -> ProcessResult {
            try runProcess(executable!, arguments)
        }
    }
}
