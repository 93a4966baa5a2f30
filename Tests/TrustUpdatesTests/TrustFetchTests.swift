import Foundation
import DaemonSupport
import GateCheckTestSupport
import Testing
import TrustStore
import TrustUpdates

/// `trust fetch` against a real HTTPS server on 127.0.0.1 (https-test-server.py) with a test CA: each
/// outcome's code, and for every failure a store that is byte for byte what it was.
@Suite struct TrustFetchTests {
    static let installedSequence: UInt64 = 5

    /// A server, and a store holding sequence 5.
    struct Setup {
        let server: FetchTestServer
        let state: TemporaryDirectory
        var store: TrustStoreDirectory { TrustStoreDirectory(path: state.path) }

        init() throws {
            server = try FetchTestServer()
            state = try TemporaryDirectory("fetch-state")
            try server.put("installed.bundle", try FetchTestBundles.shared.bundle(sequence: TrustFetchTests.installedSequence))
            try store.install(from: server.root.file("installed.bundle"), anchors: [FetchTestBundles.shared.anchor], now: Date())
        }

        /// `caFile` nil: the system CA store, which does not hold the test CA.
        func fetch(
            _ url: String, fullURL: String? = nil, caFile: String? = FetchTestTLS.shared.caFile, limits: HTTPSDownload.Limits = Setup.limits
        ) -> TrustFetch.Report {
            var fetch = TrustFetch(url: url, fullURL: fullURL, store: store, anchors: [FetchTestBundles.shared.anchor], caFile: caFile, limits: limits)
            fetch.download.proxy = .none  // 127.0.0.1 only, whatever the environment says
            return fetch.run()
        }

        static var limits: HTTPSDownload.Limits {
            var limits = HTTPSDownload.Limits(maximumBytes: 1 << 20)
            limits.connectTimeout = .seconds(5)
            limits.lowSpeedBytesPerSecond = 1_000
            limits.lowSpeedTime = .seconds(1)
            limits.totalTimeout = .seconds(20)
            return limits
        }

        /// Every file of the state directory but the fetch's own (its state and lock), by content.
        func storeFiles() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: state.path) where name != TrustFetchState.fileName && name != ".fetch.lock" {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: state.file(name)))
            }
            return files
        }
    }

    @Test func aNewerBundleIsInstalledThenNotModified() throws {
        let setup = try Setup()
        try setup.server.put("b.bundle", try FetchTestBundles.shared.bundle(sequence: 6))
        let url = setup.server.url("files", "b.bundle")

        let first = setup.fetch(url)
        guard case .installed(let bundle) = first.outcome else { Issue.record("outcome \(first.outcome.code)"); return }
        #expect(bundle.manifest.sequence == 6)
        #expect(setup.store.installedSequence() == 6)
        #expect(first.stateWriteError == nil)
        let recorded = try #require(TrustFetchState.read(stateDirectory: setup.state.path))
        #expect(recorded.outcome == "installed" && recorded.failures == 0 && recorded.lastSuccess != nil)
        #expect(recorded.etag?.hasPrefix("\"") == true && recorded.lastModified != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.state.path).allSatisfy { !$0.hasPrefix(".fetch-") && !$0.hasPrefix(".tmp-") })

        let before = try setup.storeFiles()
        let second = setup.fetch(url)
        guard case .notModified(let sequence) = second.outcome else { Issue.record("outcome \(second.outcome.code)"); return }
        #expect(sequence == 6)
        #expect(try setup.storeFiles() == before)
        let conditional = try #require(setup.server.requests().last)
        #expect(conditional == ["/files/b.bundle", recorded.etag!, recorded.lastModified!])
        #expect(setup.server.requests().first?[1] == "-", "the first GET is unconditional")
    }

    @Test func anHTTPSRedirectIsFollowed() throws {
        let setup = try Setup()
        try setup.server.put("b.bundle", try FetchTestBundles.shared.bundle(sequence: 8))
        let report = setup.fetch(setup.server.url("redirect-https", "b.bundle"))
        #expect(report.outcome.code == "installed")
        #expect(setup.store.installedSequence() == 8)
        #expect(setup.server.requests().map { $0[0] } == ["/redirect-https/b.bundle", "/files/b.bundle"])
    }

    @Test func theInstalledSequenceAgainIsCurrent() throws {
        let setup = try Setup()
        try setup.server.put("same.bundle", try FetchTestBundles.shared.bundle(sequence: Self.installedSequence))
        let before = try setup.storeFiles()
        let report = setup.fetch(setup.server.url("files", "same.bundle"))
        guard case .current(let sequence) = report.outcome else { Issue.record("outcome \(report.outcome.code)"); return }
        #expect(sequence == Self.installedSequence)
        #expect(report.state.succeeded && report.state.failures == 0)
        #expect(try setup.storeFiles() == before)
    }

    @Test func aStoreWhoseBundleIsGoneIsNeverTakenForCurrent() throws {
        let setup = try Setup()
        try setup.server.put("same.bundle", try FetchTestBundles.shared.bundle(sequence: Self.installedSequence))
        let url = setup.server.url("files", "same.bundle")
        #expect(setup.fetch(url).outcome.code == "current")
        try FileManager.default.removeItem(atPath: setup.store.bundlePath)

        // No 304 for a bundle that is not there, and the rollback mark still refuses the same sequence.
        let report = setup.fetch(url)
        #expect(report.outcome.code == "rollback")
        #expect(setup.server.requests().last?[1] == "-", "the GET after the bundle went is unconditional")
        #expect(!FileManager.default.fileExists(atPath: setup.store.bundlePath))
    }

    /// One failing fetch: where it goes, how it is set up, and the code it must end with.
    struct Failure: Sendable, CustomTestStringConvertible {
        let name: String
        let kind: String
        let file: String
        var code: String
        var sequence: UInt64? = 6
        var size: Int?
        var maximumBytes: Int?
        var caFile: String? = FetchTestTLS.shared.caFile

        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(name: "404", kind: "files", file: "missing.bundle", code: "fetch-http-status", sequence: nil),
        Failure(name: "slow drip", kind: "slow", file: "b.bundle", code: "fetch-timeout"),
        Failure(name: "oversized, with Content-Length", kind: "files", file: "big.bin", code: "fetch-too-large", sequence: nil, size: 300_000, maximumBytes: 200_000),
        Failure(name: "oversized, no Content-Length", kind: "unannounced", file: "big.bin", code: "fetch-too-large", sequence: nil, size: 300_000, maximumBytes: 200_000),
        Failure(name: "truncated", kind: "truncated", file: "b.bundle", code: "fetch-truncated"),
        Failure(name: "wrong CA", kind: "files", file: "b.bundle", code: "fetch-tls", caFile: FetchTestTLS.shared.otherCAFile),
        Failure(name: "test CA not in the system store", kind: "files", file: "b.bundle", code: "fetch-tls", caFile: nil),
        Failure(name: "redirect to http", kind: "redirect-http", file: "b.bundle", code: "fetch-insecure-redirect"),
        Failure(name: "rollback", kind: "files", file: "old.bundle", code: "rollback", sequence: 3),
    ]

    @Test(arguments: failures) func aFailureLeavesTheStoreUnchanged(_ failure: Failure) throws {
        let setup = try Setup()
        if let sequence = failure.sequence { try setup.server.put(failure.file, try FetchTestBundles.shared.bundle(sequence: sequence)) }
        if let size = failure.size { try setup.server.put(failure.file, (0..<size).map { UInt8(truncatingIfNeeded: $0) }) }
        var limits = Setup.limits
        if let maximumBytes = failure.maximumBytes { limits.maximumBytes = maximumBytes }
        let before = try setup.storeFiles()

        let started = Date()
        let report = setup.fetch(
            setup.server.url(failure.kind, failure.file), caFile: failure.caFile, limits: limits)

        #expect(report.outcome.code == failure.code)
        #expect(Date().timeIntervalSince(started) < 15, "ended by its own limit, not the overall timeout")
        #expect(try setup.storeFiles() == before)
        #expect(setup.store.installedSequence() == Self.installedSequence)
        #expect(report.state.outcome == failure.code && report.state.failures == 1 && report.state.lastSuccess == nil)
        #expect(TrustFetchState.read(stateDirectory: setup.state.path) == report.state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.state.path).allSatisfy { !$0.hasPrefix(".fetch-") && !$0.hasPrefix(".tmp-") })
    }

    @Test func aSecondFailureCountsOnAndASuccessResets() throws {
        let setup = try Setup()
        let missing = setup.server.url("files", "missing.bundle")
        #expect(setup.fetch(missing).state.failures == 1)
        #expect(setup.fetch(missing).state.failures == 2)
        try setup.server.put("missing.bundle", try FetchTestBundles.shared.bundle(sequence: 7))
        let report = setup.fetch(missing)
        #expect(report.outcome.code == "installed" && report.state.failures == 0)
    }

    @Test func aPlainHTTPURLIsRefusedBeforeAnyRequest() throws {
        let setup = try Setup()
        let report = setup.fetch("http://127.0.0.1:\(setup.server.port)/files/b.bundle")
        #expect(report.outcome.code == "fetch-bad-url")
        #expect(setup.server.requests().isEmpty)
    }
}
