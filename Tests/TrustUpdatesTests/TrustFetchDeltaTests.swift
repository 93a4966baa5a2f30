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
}
