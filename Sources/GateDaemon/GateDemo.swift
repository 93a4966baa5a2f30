import AdmissionRules
import DaemonSupport
import FoundationEssentials
import Frames
import GateCheckCrypto
import GateVocabulary
import HealthCredentials
import Lamps
import SystemCalls
import TrustStore

/// `gatecheckd --demo`: the real daemon — real trust store, zbar, verifier, lamp panel — on the recorded
/// frames in `demo/`, with console lamps. Needs no camera, no root and no configuration file.
///
/// The demo folder holds DEMO keys only (see demo/README.md): `anchors/` (the trust anchor), `trust/` (a bundle
/// signed under it, with the admission rules of a demo country), `frames/` (one PNG per case) and `expected.tsv`
/// (what each frame should give).
public struct GateDemo: Sendable {
    /// One line of `expected.tsv`: `file`, `verdict`, `reason` (`-` for any), `description` and, optionally,
    /// `rules` (`-` for none, else comma-separated rule identifiers).
    public struct Case: Sendable, Hashable {
        public let file: String
        public let verdict: String
        public let reason: String
        public let description: String
        /// The admission rules the frame must fail, in order; nil when the listing has no rules column.
        public let rules: [String]?
    }

    public let directory: String
    public let cases: [Case]
    /// Seconds each frame is held up to the camera.
    public var secondsPerFrame: Double = 2.5

    public var framesDirectory: String { directory + "/frames" }
    public var anchorsDirectory: String { directory + "/anchors" }
    public var bundlePath: String { directory + "/trust/gatecheck-trust.bundle" }

    /// Opens a demo folder and reads its `expected.tsv`.
    public init(directory: String) throws(GateDaemonError) {
        self.directory = directory
        let listing = directory + "/expected.tsv"
        guard let text = try? String(contentsOfFile: listing, encoding: .utf8) else {
            throw GateDaemonError("demo: cannot read \(listing)")
        }
        cases = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { return nil }
            let rules = fields.count >= 5 ? (fields[4] == "-" ? [] : fields[4].split(separator: ",").map(String.init)) : nil
            return Case(file: fields[0], verdict: fields[1], reason: fields[2], description: fields[3], rules: rules)
        }
        guard !cases.isEmpty else { throw GateDaemonError("demo: \(listing) lists no frames") }
    }

    /// The country the demo admits under: the one whose acceptance rules the bundle carries; nil for a bundle
    /// without rules (a pass then means authentic). Rules of several countries leave no single answer.
    public static func ruleCountry(_ rules: RuleSet?) throws(GateDaemonError) -> String? {
        let countries = Set((rules?.rules ?? []).filter { $0.type == .acceptance }.map(\.country)).sorted()
        guard countries.count <= 1 else {
            throw GateDaemonError("demo: the bundle holds acceptance rules of \(countries.joined(separator: ", ")), not of one country")
        }
        return countries.first
    }

    /// The demo folder: `$GATECHECK_DEMO_DIR`, `./demo`, or the installed copy.
    public static func locate() -> String? {
        let candidates = [ProcessInfo.processInfo.environment["GATECHECK_DEMO_DIR"], "demo", "/usr/share/gatecheck/demo"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0 + "/expected.tsv") }
    }

    /// Installs the demo bundle into `stateDirectory` through the real trust store (signature, anchors, rollback
    /// checks) and returns a configuration with console lamps and a status socket beside it, admitting under the
    /// rules of the country whose acceptance rules the bundle carries (``ruleCountry(_:)``).
    public func prepare(stateDirectory: String) throws(GateDaemonError) -> DaemonConfiguration {
        let installed: InstalledTrust
        do {
            let anchors = try TrustAnchors.load(directory: anchorsDirectory)
            let store = TrustStoreDirectory(path: stateDirectory)
            try store.install(from: bundlePath, anchors: anchors, now: WallClock.system.now())
            installed = try store.load(anchors: anchors)
        } catch {
            throw GateDaemonError("demo: installing \(bundlePath): \(error)")
        }
        var configuration = DaemonConfiguration()
        if let country = try Self.ruleCountry(installed.bundle.rules) {
            configuration.policy.country = country
            configuration.policy.rules = .bundle
        }
        configuration.stateDirectory = stateDirectory
        configuration.anchorsDirectory = anchorsDirectory
        configuration.cameraDevice = "demo frames"
        configuration.lamps.pass = .console
        configuration.lamps.fail = .console
        configuration.lamps.fault = .console
        configuration.lamps.relay = .console
        configuration.timings.pass = .milliseconds(1_500)
        configuration.timings.fail = .milliseconds(1_500)
        configuration.timings.relayPulse = .milliseconds(800)
        configuration.status.socketPath = stateDirectory + "/status.sock"
        return configuration
    }

    /// The replay: every listed frame once, in order, held for `secondsPerFrame`.
    public var frameInput: GateOptions.FrameInput {
        .replay(files: cases.map { framesDirectory + "/" + $0.file }, framesPerSecond: 1 / secondsPerFrame, loops: false)
    }

    /// The listed case for a frame of the replay (sequence numbers count the files from 0).
    public func expectation(forFrame sequence: UInt64?) -> Case? {
        guard let sequence, sequence < UInt64(cases.count) else { return nil }
        return cases[Int(sequence)]
    }
}

extension GateDemo {
    /// What a person at the gate sees for one decision, with what the demo expected.
    public func narrate(_ decision: GateDecision) -> String {
        let line = decision.line
        let expected = expectation(forFrame: decision.frameSequence)
        let rules = line.failedRules.isEmpty ? "" : ": " + line.failedRules.map(\.identifier).joined(separator: ", ")
        let shown = line.verdict == .pass ? "PASS  green lamp, gate opens" : "FAIL  red lamp (\(line.reasonWord)\(rules))"
        var text = "\(expected.map { "\($0.file): \($0.description)" } ?? "frame \(decision.frameSequence ?? 0)")\n    \(shown)"
        if let expected {
            let wantedRules = expected.rules.map { $0.isEmpty ? "" : " " + $0.joined(separator: ",") } ?? ""
            text += matches(decision) ? "   [as expected]" : "   [UNEXPECTED: wanted \(expected.verdict) \(expected.reason)\(wantedRules)]"
        }
        return text
    }

    /// Whether a decision is what `expected.tsv` lists for its frame: verdict, reason (unless `-`) and, when the
    /// listing has the column, exactly the failing rules.
    public func matches(_ decision: GateDecision) -> Bool {
        guard let expected = expectation(forFrame: decision.frameSequence) else { return false }
        return expected.verdict == decision.line.verdict.rawValue
            && (expected.reason == "-" || expected.reason == decision.line.reasonWord)
            && (expected.rules.map { $0 == decision.line.failedRules.map(\.identifier) } ?? true)
    }
}
