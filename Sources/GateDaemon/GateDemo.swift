import DaemonSupport
import Foundation
import Frames
import GateCheckCrypto
import TrustStore

/// `gatecheckd --demo`: the real daemon — real trust store, zbar, verifier, lamp panel — on the recorded
/// frames in `demo/`, with console lamps. Needs no camera, no root and no configuration file.
///
/// The demo folder holds DEMO keys only (see demo/README.md): `anchors/` (the trust anchor), `trust/` (a bundle
/// signed under it), `frames/` (one PNG per case) and `expected.tsv` (what each frame should give).
public struct GateDemo: Sendable {
    /// One line of `expected.tsv`.
    public struct Case: Sendable, Hashable {
        public let file: String
        public let verdict: String
        public let reason: String
        public let description: String
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
            return Case(file: fields[0], verdict: fields[1], reason: fields[2], description: fields[3])
        }
        guard !cases.isEmpty else { throw GateDaemonError("demo: \(listing) lists no frames") }
    }

    /// The demo folder: `$GATECHECK_DEMO_DIR`, `./demo`, or the installed copy.
    public static func locate() -> String? {
        let candidates = [ProcessInfo.processInfo.environment["GATECHECK_DEMO_DIR"], "demo", "/usr/share/gatecheck/demo"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0 + "/expected.tsv") }
    }

    /// Installs the demo bundle into `stateDirectory` through the real trust store (signature, anchors, rollback
    /// checks) and returns a configuration with console lamps and a status socket beside it.
    public func prepare(stateDirectory: String) throws(GateDaemonError) -> DaemonConfiguration {
        do {
            let anchors = try TrustAnchors.load(directory: anchorsDirectory)
            try TrustStoreDirectory(path: stateDirectory).install(from: bundlePath, anchors: anchors, now: Date())
        } catch {
            throw GateDaemonError("demo: installing \(bundlePath): \(error)")
        }
        var configuration = DaemonConfiguration()
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
        let shown = line.verdict == .pass ? "PASS  green lamp, gate opens" : "FAIL  red lamp (\(line.reason.rawValue))"
        var text = "\(expected.map { "\($0.file): \($0.description)" } ?? "frame \(decision.frameSequence ?? 0)")\n    \(shown)"
        if let expected {
            let matches = expected.verdict == line.verdict.rawValue && (expected.reason == "-" || expected.reason == line.reason.rawValue)
            text += matches ? "   [as expected]" : "   [UNEXPECTED: wanted \(expected.verdict) \(expected.reason)]"
        }
        return text
    }

    /// Whether a decision is what `expected.tsv` lists for its frame.
    public func matches(_ decision: GateDecision) -> Bool {
        guard let expected = expectation(forFrame: decision.frameSequence) else { return false }
        return expected.verdict == decision.line.verdict.rawValue
            && (expected.reason == "-" || expected.reason == decision.line.reason.rawValue)
    }
}
