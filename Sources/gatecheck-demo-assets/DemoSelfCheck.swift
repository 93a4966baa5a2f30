import Glibc
import AdmissionRules
import CodeScanning
import Foundation
import HealthCredentials
import Imaging
import TrustStore

/// Runs the generated folder through the real pipeline, as `gatecheckd --demo` will: install the
/// bundle with the demo anchor into a scratch state directory, read every frame with zbar, verify
/// against the installed trust under the rules of the bundle's rule country (as `GateDemo.prepare`
/// configures the daemon). A folder that does not behave as `expected.tsv` says is never kept.
enum DemoSelfCheck {
    /// One line per frame with the decision actually made; throws on the first mismatch.
    static func run(folder: String, cases: [DemoCase], now: Date) throws -> [String] {
        let anchors = try TrustAnchors.load(directory: folder + "/anchors")
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let store = TrustStoreDirectory(path: scratch + "/state")
        try store.install(from: folder + "/" + DemoLayout.bundle, anchors: anchors, now: now)
        let installed = try store.load(anchors: anchors)
        let verifier = installed.verifier(admission: try admissionPolicy(installed))
        let scanner = try QRScanner()

        var lines: [String] = []
        for demoCase in cases {
            let path = folder + "/" + DemoLayout.frames + "/" + demoCase.fileName
            let codes = scanner.scan(try ImageFile.load(contentsOf: path))
            guard codes.count == 1, let code = codes.first else {
                throw DemoAssetsError("\(demoCase.fileName): zbar found \(codes.count) codes, expected exactly 1")
            }
            guard code.payload == Array(demoCase.payload.utf8) else {
                throw DemoAssetsError("\(demoCase.fileName): the scanned payload differs from the one drawn")
            }
            let report = verifier.verify(payload: code.payload, in: VerificationContext(now: now))
            let reason = report.failure?.code.description ?? "-"
            let rules = report.failedRules.isEmpty ? "-" : report.failedRules.joined(separator: ",")
            guard report.verdict.rawValue == demoCase.verdict, reason == demoCase.reason, rules == demoCase.rules else {
                throw DemoAssetsError(
                    "\(demoCase.fileName): verified as \(report.verdict.rawValue) \(reason) \(rules), "
                        + "expected \(demoCase.verdict) \(demoCase.reason) \(demoCase.rules)")
            }
            lines.append("\(demoCase.fileName): \(report.verdict.rawValue) \(reason)" + (rules == "-" ? "" : " rules=\(rules)"))
        }
        return lines
    }

    /// The rules of the one country whose acceptance rules the bundle holds; nil for a bundle without rules.
    private static func admissionPolicy(_ installed: InstalledTrust) throws -> AdmissionPolicy? {
        let rules = installed.bundle.rules ?? .empty
        let countries = Set(rules.rules.filter { $0.type == .acceptance }.map(\.country)).sorted()
        guard countries.count <= 1 else { throw DemoAssetsError("the demo bundle holds rules of \(countries), not of one country") }
        return countries.first.map { AdmissionPolicy(rules: rules, valueSets: installed.bundle.valueSets ?? .empty, arrivalCountry: $0) }
    }

    /// A fresh private directory under the system's temporary folder, symlinks resolved (the trust
    /// store refuses paths through a symbolic link, and macOS's /tmp is one).
    private static func temporaryDirectory() throws -> String {
        let base = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
        var template = Array("\(base)/gatecheck-demo-check-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw DemoAssetsError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
