import Foundation
import DaemonSupport
import GateCheckTestSupport
import Testing
import TrustStore
import TrustUpdates

/// `trust fetch` of a delta bundle's URL: the same import as a stick, so the delta lands as `trust.delta`; the same
/// delta again is current, and a delta of a base the gate does not have changes nothing.
@Suite struct TrustFetchDeltaTests {
    @Test func aDeltaURLInstallsTheDeltaThenIsCurrentAndAForeignDeltaIsRefused() throws {
        let setup = try TrustFetchTests.Setup()
        let base = setup.server.root.file("installed.bundle")
        try setup.server.put("trust.delta", try FetchTestBundles.shared.bundle(sequence: 6, deltaFrom: base))
        let url = setup.server.url("files", "trust.delta")
        guard case .installed(let bundle) = setup.fetch(url).outcome else { Issue.record("the delta was not installed"); return }
        #expect(bundle.manifest.base?.sequence == TrustFetchTests.installedSequence)
        #expect(FileManager.default.fileExists(atPath: setup.store.deltaPath))
        #expect(setup.store.installedSequence() == 6)

        // Without its validators the fetch downloads the same delta again: current, not a rollback.
        try FileManager.default.removeItem(atPath: setup.state.file(TrustFetchState.fileName))
        #expect(setup.fetch(url).outcome.code == "current")

        try setup.server.put("other.bundle", try FetchTestBundles.shared.bundle(sequence: 7))
        try setup.server.put("foreign.delta", try FetchTestBundles.shared.bundle(sequence: 8, deltaFrom: setup.server.root.file("other.bundle")))
        let before = try setup.storeFiles()
        #expect(setup.fetch(setup.server.url("files", "foreign.delta")).outcome.code == "delta-base-mismatch")
        #expect(try setup.storeFiles() == before)
    }

    /// After the publisher's re-issue the gate's delta URL offers a delta of a base it does not have: the full
    /// bundle comes next, then the new delta fits.
    @Test func aDeltaOfAnotherBaseFallsBackToTheFullBundle() throws {
        let setup = try TrustFetchTests.Setup()
        try setup.server.put("full.bundle", try FetchTestBundles.shared.bundle(sequence: 7))
        try setup.server.put("trust.delta", try FetchTestBundles.shared.bundle(sequence: 8, deltaFrom: setup.server.root.file("full.bundle")))
        let (delta, full) = (setup.server.url("files", "trust.delta"), setup.server.url("files", "full.bundle"))

        let first = setup.fetch(delta, fullURL: full)
        #expect(first.outcome.code == "installed" && first.source == full)
        #expect(setup.store.installedSequence() == 7 && !FileManager.default.fileExists(atPath: setup.store.deltaPath))
        #expect(first.state.url == delta && first.state.fullURL == full && first.state.failures == 0)

        let second = setup.fetch(delta, fullURL: full)
        #expect(second.outcome.code == "installed" && second.source == delta)
        #expect(setup.store.installedSequence() == 8 && FileManager.default.fileExists(atPath: setup.store.deltaPath))

        // Both now answer with their validators: the delta's 304 ends it; the full bundle is not asked for.
        let third = setup.fetch(delta, fullURL: full)
        #expect(third.outcome.code == "not-modified" && third.source == delta)
    }

    /// No delta published (404): the full bundle, asked conditionally with its own validators, so a gate does not
    /// download the whole bundle again at every interval only because the delta URL is asked first.
    @Test func noDeltaPublishedFallsBackToTheFullBundleConditionally() throws {
        let setup = try TrustFetchTests.Setup()
        try setup.server.put("full.bundle", try FetchTestBundles.shared.bundle(sequence: 7))
        let (delta, full) = (setup.server.url("files", "missing.delta"), setup.server.url("files", "full.bundle"))

        let first = setup.fetch(delta, fullURL: full)
        #expect(first.outcome.code == "installed" && first.source == full)
        #expect(first.state.fullETag != nil || first.state.fullLastModified != nil)

        let second = setup.fetch(delta, fullURL: full)
        #expect(second.outcome.code == "not-modified" && second.source == full)
        #expect(setup.store.installedSequence() == 7)
    }

    /// A delta refused for anything else (here a rollback) is the outcome: the full bundle cannot mend it.
    @Test func otherRefusalsOfTheDeltaDoNotFallBack() throws {
        let setup = try TrustFetchTests.Setup()
        try setup.server.put("full.bundle", try FetchTestBundles.shared.bundle(sequence: 9))
        try setup.server.put("old.bundle", try FetchTestBundles.shared.bundle(sequence: 3))
        let before = try setup.storeFiles()
        let report = setup.fetch(setup.server.url("files", "old.bundle"), fullURL: setup.server.url("files", "full.bundle"))
        #expect(report.outcome.code == "rollback")
        #expect(try setup.storeFiles() == before)
    }
}
