import Foundation
import GateCheckTestSupport
import GateVocabulary
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustStore

@testable import GateDaemon

/// The daemon's trust keeper with a delta bundle: it notices `trust.delta`, decides with base and delta together,
/// drops trust whose delta changed in place, and leaves out (with a warning) a delta of another base.
@Suite("Trust keeper with delta bundles", .serialized)
struct TrustKeeperDeltaTests {
    static let clock = FieldFaultTests.clock
    /// The test credential's own UCI: revoked by the delta.
    static let revokedCI = "URN:UVCI:01:XX:GATECHECKTEST0001"

    /// A bundle with the harness's issuer and `revokedUCIs`; a delta against `base` when given.
    static func bundle(_ harness: GateFaultTests.Harness, sequence: UInt64, revokedUCIs: [String], base: String? = nil) throws -> [UInt8] {
        var builder = TrustBundleBuilder(
            sequence: sequence, issuedAt: clock.addingTimeInterval(-86_400), notAfter: clock.addingTimeInterval(3_650 * 86_400), producer: "delta")
        builder.signers = [harness.issuer.signer]
        builder.revocations[.revokedUCI] = revokedUCIs.map(RevocationHash.uci)
        builder.deltaBase = base.map { TrustBundleBuilder.DeltaBase(path: $0, anchors: nil) }
        return try builder.build(signingKey: harness.pki.bundleSigner.key, certificate: harness.pki.bundleSigner.certificate)
    }

    @Test func aDeltaIsPickedUpAndDecidesWithItsBase() throws {
        let (harness, configuration) = try FieldFaultTests.harness()
        let store = TrustStoreDirectory(path: configuration.stateDirectory)
        let anchors = [harness.pki.anchor.certificate]
        let keeper = TrustKeeper(configuration: configuration)
        guard case .loaded(1, _, nil) = keeper.reload(force: true) else { throw TmpfsMountError("bundle 1 does not load") }
        #expect(try FieldFaultTests.decide(keeper, harness, at: Self.clock).verdict == .pass)

        let delta = try Self.bundle(harness, sequence: 2, revokedUCIs: [Self.revokedCI], base: store.bundlePath)
        try store.install(from: harness.root.write("in/delta-2", delta), anchors: anchors, now: Self.clock)
        guard case .loaded(2, _, nil) = keeper.reload(force: false) else {
            Issue.record("the new delta was not picked up")
            return
        }
        let revoked = try FieldFaultTests.decide(keeper, harness, at: Self.clock)
        #expect(revoked.verdict == .fail && revoked.reason == .revoked, "\(revoked)")
        #expect(keeper.statusFields(now: Self.clock).sequence == 2)

        // The delta in use changed in place: its tables are read from that file, so the trust is dropped.
        try FieldFaultTests.flipBit(store.deltaPath, at: try FieldFaultTests.fileSize(store.deltaPath) - 1)
        guard case .failed(.trustInvalid, _) = keeper.reload(force: false) else {
            Issue.record("the changed delta was not checked again")
            return
        }
        #expect(try FieldFaultTests.decide(keeper, harness, at: Self.clock).verdict == .fail)
        try FieldFaultTests.flipBit(store.deltaPath, at: try FieldFaultTests.fileSize(store.deltaPath) - 1)

        // A new full bundle written over the base beside the old delta (a power cut before the delta's removal):
        // the delta is left out with a warning, and the base alone decides.
        try harness.root.write("state/trust.bundle", try Self.bundle(harness, sequence: 3, revokedUCIs: []))
        guard case .loaded(3, _, let warning?) = keeper.reload(force: false) else {
            Issue.record("the new base did not load with a warning")
            return
        }
        #expect(warning.contains("ignored"))
        #expect(try FieldFaultTests.decide(keeper, harness, at: Self.clock).verdict == .pass)
    }
}
