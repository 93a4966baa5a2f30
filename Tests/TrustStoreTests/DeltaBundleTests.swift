import Foundation
import Glibc
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
@testable import TrustStore

/// Delta bundles (issue 20, item 3): revocation entries added and removed since a full base, everything else in
/// full; installed beside the base as `trust.delta`, and never combined with another base.
@Suite("Delta bundles")
struct DeltaBundleTests {
    let anchors = TSPKI.shared.anchors

    static let keptUCI = "URN:UVCI:01:XX:KEPT-IN-BASE"
    static let removedUCI = "URN:UVCI:01:XX:REMOVED-IN-DELTA"
    static let addedUCI = "URN:UVCI:01:XX:ADDED-IN-DELTA"
    static let laterUCI = "URN:UVCI:01:XX:ADDED-IN-LATER-DELTA"

    /// A full bundle listing `revokedUCIs` (plus the same 64 random entries per table for every `seed`).
    static func full(sequence: UInt64, revokedUCIs: [String], seed: UInt64 = 1) throws -> [UInt8] {
        try TSFixture.bundle(sequence: sequence, revokedUCIs: revokedUCIs, seed: seed)
    }

    /// A delta against the bundle at `base` for a list that is now `revokedUCIs` (and the seed's random entries).
    static func delta(
        sequence: UInt64, base: String, revokedUCIs: [String], signers: [DocumentSigner]? = nil, seed: UInt64 = 1
    ) throws -> [UInt8] {
        try TSFixture.bundle(
            sequence: sequence, signers: signers, revokedUCIs: revokedUCIs, seed: seed,
            deltaBase: TrustBundleBuilder.DeltaBase(path: base, anchors: TSPKI.shared.anchors))
    }

    /// A new store with a full bundle listing `revokedUCIs` installed, and that bundle's file (`base.bundle`).
    static func installedBase(sequence: UInt64, revokedUCIs: [String]) throws -> (TemporaryDirectory, TrustStoreDirectory, String) {
        let temporary = try TemporaryDirectory("delta")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        let basePath = try temporary.write("base.bundle", try full(sequence: sequence, revokedUCIs: revokedUCIs))
        try store.install(from: basePath, anchors: TSPKI.shared.anchors, now: Date())
        return (temporary, store, basePath)
    }

    /// The verdict for an HCERT of `ci`, signed by the first shared DSC, through the installed trust's verifier.
    static func report(_ installed: InstalledTrust, ci: String) throws -> VerificationReport {
        let payload = try TSFixture.issuers[0].hc1(TestCredential(payload: TrustStoreAcceptanceTests.payload(ci: ci)))
        return installed.verifier(admission: nil).verify(payload: payload, in: VerificationContext(now: TestCredential.validAt))
    }

    static func isRevoked(_ installed: InstalledTrust, _ ci: String) throws -> Bool {
        let report = try report(installed, ci: ci)
        if report.failure?.code == .revoked { return true }
        #expect(report.verdict == .pass, "\(ci): \(String(describing: report.failure))")
        return false
    }

    @Test("base then delta: kept, removed and added entries are decided by base and delta together")
    func baseThenDelta() throws {
        let (temporary, store, basePath) = try Self.installedBase(sequence: 10, revokedUCIs: [Self.keptUCI, Self.removedUCI])
        let before = try store.load(anchors: anchors)
        #expect(before.delta == nil)
        #expect(try Self.isRevoked(before, Self.removedUCI))
        #expect(try !Self.isRevoked(before, Self.addedUCI))

        let newer = try TSFixture.newerIssuer()
        let deltaBytes = try Self.delta(
            sequence: 11, base: basePath, revokedUCIs: [Self.keptUCI, Self.addedUCI], signers: TSFixture.issuers.map(\.signer) + [newer.signer])
        let deltaPath = try temporary.write("delta.bundle", deltaBytes)
        // Only the changes travel: one entry added and one removed, not the tables.
        let manifest = try TrustBundleInspection.manifest(path: deltaPath)
        #expect(manifest.base?.sequence == 10)
        #expect(manifest.deltaChanges?.added == 1 && manifest.deltaChanges?.removed == 1)
        #expect(TSFixture.entry(deltaBytes, .revokedUCI) == nil)
        #expect(TSFixture.entry(deltaBytes, .revokedUCIAdded)?.length == 16)
        #expect(TSFixture.entry(deltaBytes, .revokedSignatureAdded)?.length == 0, "the random entries did not change")

        let installedDelta = try store.install(from: deltaPath, anchors: anchors, now: Date())
        #expect(installedDelta.manifest.isDelta)
        #expect(try TSDirectory.bytes(store.deltaPath) == deltaBytes)
        #expect(try TSDirectory.bytes(store.bundlePath) == TSDirectory.bytes(basePath), "the base stays")
        #expect(store.installedSequence() == 11)
        #expect(try TSDirectory.bytes(store.path + "/trust.sequence") == Array("11\n".utf8))

        let installed = try store.load(anchors: anchors)
        #expect(installed.delta != nil && installed.ignoredDelta == nil)
        #expect(installed.manifest.sequence == 11, "sequence and dates come from the delta")
        #expect(installed.base.manifest.sequence == 10)
        #expect(!installed.trust.hcert.signers(forKid: newer.kid).isEmpty, "signers come from the delta")
        #expect(try Self.isRevoked(installed, Self.keptUCI), "revoked in the base, not removed")
        #expect(try !Self.isRevoked(installed, Self.removedUCI), "removed by the delta: valid again")
        #expect(try Self.isRevoked(installed, Self.addedUCI), "added by the delta")
        #expect(installed.revocationCount(.revokedUCI) == before.revocationCount(.revokedUCI))
        #expect(installed.revocationCount(.revokedSignature) == 64)
        let report = TrustStatusReport(installed: installed, assessment: TrustedClock().assess(systemNow: Date(), manifest: installed.manifest, clockHighWater: nil), now: Date())
        #expect(report.text().contains("delta: on base sequence 10"))

        // An export carries both files, to be imported in that order elsewhere.
        let exported = try store.export(to: temporary.file("export.bundle"))
        #expect(exported == temporary.file("export.bundle.delta"))
        #expect(try TSDirectory.bytes(temporary.file("export.bundle")) == TSDirectory.bytes(basePath))
        #expect(try TSDirectory.bytes(temporary.file("export.bundle.delta")) == deltaBytes)
        let elsewhere = TrustStoreDirectory(path: temporary.file("elsewhere"))
        try elsewhere.install(from: temporary.file("export.bundle"), anchors: anchors, now: Date())
        try elsewhere.install(from: temporary.file("export.bundle.delta"), anchors: anchors, now: Date())
        #expect(try Self.isRevoked(elsewhere.load(anchors: anchors), Self.addedUCI))
    }

    @Test("a delta of another base is refused as delta-base-mismatch; a lower sequence as rollback; the store stays byte-identical")
    func refusedDeltas() throws {
        let temporary = try TemporaryDirectory("delta")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        let basePath = try temporary.write("base.bundle", try Self.full(sequence: 5, revokedUCIs: [Self.keptUCI]))
        let otherBase = try temporary.write("other.bundle", try Self.full(sequence: 6, revokedUCIs: [Self.keptUCI], seed: 2))

        // Nothing installed yet: no base to apply a delta to.
        let orphan = try temporary.write("orphan.bundle", try Self.delta(sequence: 7, base: basePath, revokedUCIs: []))
        expectTrustStoreError(.deltaBaseMismatch) { try store.install(from: orphan, anchors: anchors, now: Date()) }

        try store.install(from: basePath, anchors: anchors, now: Date())
        let snapshot = try TSDirectory.snapshot(store.path)
        let foreign = try temporary.write("foreign.bundle", try Self.delta(sequence: 8, base: otherBase, revokedUCIs: [Self.addedUCI], seed: 2))
        expectTrustStoreError(.deltaBaseMismatch) { try store.install(from: foreign, anchors: anchors, now: Date()) }
        #expect(try TSDirectory.snapshot(store.path) == snapshot)

        try store.install(from: try temporary.write("d8.bundle", try Self.delta(sequence: 8, base: basePath, revokedUCIs: [])), anchors: anchors, now: Date())
        let withDelta = try TSDirectory.snapshot(store.path)
        let older = try temporary.write("d7.bundle", try Self.delta(sequence: 7, base: basePath, revokedUCIs: [Self.addedUCI]))
        expectTrustStoreError(.rollback) { try store.install(from: older, anchors: anchors, now: Date()) }
        // A full bundle must be above the delta's sequence too.
        let fullSeven = try temporary.write("f7.bundle", try Self.full(sequence: 7, revokedUCIs: []))
        expectTrustStoreError(.rollback) { try store.install(from: fullSeven, anchors: anchors, now: Date()) }
        #expect(try TSDirectory.snapshot(store.path) == withDelta)

        // The builder refuses what no device would take: a delta not above its base, or a delta of a delta.
        #expect(throws: TrustStoreError.self) { try Self.delta(sequence: 5, base: basePath, revokedUCIs: []) }
        #expect(throws: TrustStoreError.self) { try Self.delta(sequence: 9, base: temporary.file("d8.bundle"), revokedUCIs: []) }
    }

    @Test("delta after delta replaces it (each is cumulative since the base); a full bundle removes the delta")
    func deltaThenDeltaThenFull() throws {
        let (temporary, store, basePath) = try Self.installedBase(sequence: 1, revokedUCIs: [Self.keptUCI, Self.removedUCI])
        try store.install(
            from: try temporary.write("d2.bundle", try Self.delta(sequence: 2, base: basePath, revokedUCIs: [Self.keptUCI, Self.addedUCI])),
            anchors: anchors, now: Date())
        // Day 2's list: the first delta's addition was withdrawn again, another added, the removal stands.
        let secondDelta = try Self.delta(sequence: 3, base: basePath, revokedUCIs: [Self.keptUCI, Self.laterUCI])
        try store.install(from: try temporary.write("d3.bundle", secondDelta), anchors: anchors, now: Date())
        #expect(try TSDirectory.bytes(store.deltaPath) == secondDelta)
        let cumulative = try store.load(anchors: anchors)
        #expect(cumulative.manifest.sequence == 3)
        #expect(try Self.isRevoked(cumulative, Self.keptUCI))
        #expect(try !Self.isRevoked(cumulative, Self.removedUCI))
        #expect(try !Self.isRevoked(cumulative, Self.addedUCI))
        #expect(try Self.isRevoked(cumulative, Self.laterUCI))

        let full = try Self.full(sequence: 4, revokedUCIs: [Self.addedUCI], seed: 3)
        try store.install(from: try temporary.write("full.bundle", full), anchors: anchors, now: Date())
        #expect(!TSDirectory.exists(store.deltaPath), "the full bundle removed the delta")
        #expect(Set(try TSDirectory.snapshot(store.path).keys) == ["trust.bundle", "trust.sequence", ".lock"])
        let installed = try store.load(anchors: anchors)
        #expect(installed.delta == nil && installed.manifest.sequence == 4)
        #expect(try Self.isRevoked(installed, Self.addedUCI))
        #expect(try !Self.isRevoked(installed, Self.laterUCI))
    }

    @Test("a delta left beside another base (a crash after a full install, or a copy by hand) is ignored, never combined")
    func staleDeltaIsIgnored() throws {
        let (temporary, store, basePath) = try Self.installedBase(sequence: 1, revokedUCIs: [Self.removedUCI])
        try store.install(
            from: try temporary.write("d2.bundle", try Self.delta(sequence: 2, base: basePath, revokedUCIs: [Self.addedUCI])),
            anchors: anchors, now: Date())

        // The state a power cut leaves between renaming a new full bundle into place and removing the old delta.
        let newBase = try Self.full(sequence: 3, revokedUCIs: [Self.removedUCI, Self.laterUCI], seed: 4)
        try TSDirectory.write(newBase, to: store.bundlePath)
        let installed = try store.load(anchors: anchors)
        #expect(installed.delta == nil)
        #expect(installed.manifest.sequence == 3, "trust is the base's")
        let warning = try #require(installed.ignoredDelta)
        #expect(warning.contains("trust.delta") && warning.contains("ignored"))
        #expect(try Self.isRevoked(installed, Self.removedUCI), "the old delta's removal does not apply to the new base")
        #expect(try !Self.isRevoked(installed, Self.addedUCI), "nor its addition")
        #expect(try Self.isRevoked(installed, Self.laterUCI))

        // A later delta for the new base replaces the stale one.
        let newBasePath = try temporary.write("new-base.bundle", newBase)
        try store.install(
            from: try temporary.write("d4.bundle", try Self.delta(sequence: 4, base: newBasePath, revokedUCIs: [Self.laterUCI], seed: 4)),
            anchors: anchors, now: Date())
        let healed = try store.load(anchors: anchors)
        #expect(healed.ignoredDelta == nil && healed.manifest.sequence == 4)
        #expect(try !Self.isRevoked(healed, Self.removedUCI))
    }

    @Test("a delta whose file is damaged refuses the load rather than falling back to older trust")
    func damagedDeltaRefusesLoad() throws {
        let (temporary, store, basePath) = try Self.installedBase(sequence: 1, revokedUCIs: [])
        let deltaBytes = try Self.delta(sequence: 2, base: basePath, revokedUCIs: [Self.addedUCI])
        try store.install(from: try temporary.write("d2.bundle", deltaBytes), anchors: anchors, now: Date())
        try TSDirectory.write(TSFixture.flippingByte(in: .revokedUCIAdded, of: deltaBytes), to: store.deltaPath)
        expectTrustStoreError(.hashMismatch) { _ = try store.load(anchors: anchors) }
    }

    @Test("signed but inconsistent: a full bundle with a delta table, a delta with a full table or a base not below it")
    func inconsistentDeltasAreMalformed() throws {
        let temporary = try TemporaryDirectory("delta")
        let entry = [UInt8](repeating: 1, count: 16)
        let base = BundleManifest.Base(sequence: 1, sha256: String(repeating: "ab", count: 32))
        let cases: [(String, [UInt8])] = [
            ("full bundle with revoked-uci+", try BundleRejectionTests.signed([(.revokedUCIAdded, entry)], sequence: 2)),
            ("delta with revoked-uci", try BundleRejectionTests.signed([(.revokedUCI, entry)], sequence: 2, base: base)),
            ("base not below", try BundleRejectionTests.signed([], sequence: 1, base: base)),
            ("base hash not hex", try BundleRejectionTests.signed([], sequence: 2, base: .init(sequence: 1, sha256: String(repeating: "X", count: 64)))),
        ]
        let verifier = TrustBundleVerifier(anchors: anchors, minimumSequence: nil, signerValidityTime: nil)
        for (label, bytes) in cases {
            let path = try temporary.write("case.bundle", bytes)
            expectTrustStoreError(.malformed, label) { _ = try verifier.verify(path: path) }
        }
        // The same framing with a well-formed base verifies: the refusals above are for what they name.
        let fine = try temporary.write("fine.bundle", try BundleRejectionTests.signed([(.revokedUCIAdded, entry)], sequence: 2, base: base))
        #expect(try verifier.verify(path: fine).manifest.base == base)
    }

    @Test("a million-entry base and a delta by the streaming merge: 10,000 added, 1,000 removed")
    func largeTable() throws {
        let temporary = try TemporaryDirectory("delta")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        var generator = SplitMix64(seed: 20)
        let listed = (0..<1_000_000).map { _ in TSFixture.randomHash16(&generator) }
        let added = (0..<10_000).map { _ in TSFixture.randomHash16(&generator) }
        let issuedAt = Date().addingTimeInterval(-3_600)
        func bundle(_ sequence: UInt64, _ hashes: [[UInt8]], base: String? = nil) throws -> [UInt8] {
            var builder = TrustBundleBuilder(sequence: sequence, issuedAt: issuedAt, notAfter: issuedAt.addingTimeInterval(86_400), producer: "tests")
            builder.signers = TSFixture.issuers.map(\.signer)
            builder.revocations[.revokedUCI] = hashes
            builder.deltaBase = base.map { TrustBundleBuilder.DeltaBase(path: $0, anchors: nil) }
            let (key, certificate) = TSSigner.good.keyAndCertificate
            return try builder.build(signingKey: key, certificate: certificate)
        }
        let basePath = try temporary.write("base.bundle", try bundle(1, listed))
        try store.install(from: basePath, anchors: anchors, now: Date())
        let removed = Array(listed[500_000..<501_000])
        let deltaBytes = try bundle(2, Array(listed[..<500_000]) + Array(listed[501_000...]) + added, base: basePath)
        #expect(TSFixture.entry(deltaBytes, .revokedUCIAdded)?.length == 10_000 * 16)
        #expect(TSFixture.entry(deltaBytes, .revokedUCIRemoved)?.length == 1_000 * 16)
        #expect(deltaBytes.count < 200_000, "\(deltaBytes.count) bytes")
        try store.install(from: try temporary.write("delta.bundle", deltaBytes), anchors: anchors, now: Date())

        let installed = try store.load(anchors: anchors)
        #expect(installed.revocationCount(.revokedUCI) == 1_000_000 - 1_000 + 10_000)
        let lookups = [(listed[0], true), (listed[999_999], true), (removed[0], false), (removed[999], false), (added[0], true), (added[9_999], true)]
        for (hash, revoked) in lookups {
            #expect(installed.isListed(hash, in: .revokedUCI) == revoked)
        }
    }
}

/// SIGKILL at random moments of `gatecheck trust import` with a delta installed: of a new delta on the same base,
/// and of a full bundle that must remove the delta. The store always loads as the old state or the new one.
@Suite("Crash consistency of delta imports")
struct DeltaCrashTests {
    static let runs = 40

    enum Offer: CaseIterable {
        case delta, full
    }

    @Test("killed imports leave old base + old delta, or the new state; never a delta on the wrong base", arguments: Offer.allCases)
    func killedImports(_ offer: Offer) async throws {
        let executable = try #require(builtExecutable("gatecheck"), "the gatecheck binary must be built beside the tests")
        let pki = TSPKI.shared
        let temporary = try TemporaryDirectory("delta-crash")
        let anchors = try temporary.directory("anchors")
        try TSDirectory.write(TSPKI.pem(pki.root), to: anchors + "/root.pem")
        // Large enough that the writes take measurable time: 34,000 entries in each table.
        let base = try temporary.write("base.bundle", try TSFixture.bundle(sequence: 1, revokedUCIs: [DeltaBundleTests.removedUCI], extraRevocations: 34_000, seed: 11))
        let deltaBase = TrustBundleBuilder.DeltaBase(path: base, anchors: nil)
        let oldDelta = try temporary.write("d2.bundle", try TSFixture.bundle(
            sequence: 2, revokedUCIs: [DeltaBundleTests.addedUCI], extraRevocations: 34_000, seed: 11, deltaBase: deltaBase))
        let newBytes = offer == .delta
            ? try TSFixture.bundle(sequence: 3, revokedUCIs: [DeltaBundleTests.laterUCI], extraRevocations: 34_000, seed: 11, deltaBase: deltaBase)
            : try TSFixture.bundle(sequence: 3, revokedUCIs: [DeltaBundleTests.laterUCI], extraRevocations: 34_000, seed: 33)
        let newPath = try temporary.write("new.bundle", newBytes)

        let template = TrustStoreDirectory(path: temporary.file("template"))
        try template.install(from: base, anchors: pki.anchors, now: Date())
        try template.install(from: oldDelta, anchors: pki.anchors, now: Date())
        let templateFiles = try TSDirectory.snapshot(template.path)
        let state = temporary.file("state")
        let arguments = ["trust", "import", "--state-dir", state, "--anchors", anchors, newPath]

        try CrashConsistencyTests.restore(state, templateFiles)
        let begin = CrashConsistencyTests.monotonicMicroseconds()
        #expect(CrashConsistencyTests.wait(try CrashConsistencyTests.spawn(executable, arguments)) == 0)
        var window = max((CrashConsistencyTests.monotonicMicroseconds() - begin) * 3 / 2, 5_000)

        var generator = SplitMix64(seed: offer == .delta ? 0xDE17A : 0xF011)
        var outcomes = (old: 0, new: 0)
        var staleDeltas = 0  // a full bundle in place, the old delta not yet removed: ignored
        // One measured import scales the window, but killed runs beside other suites can be slower (or faster) than
        // it: when a batch saw only one outcome, the window doubles (or halves) for another batch, at most three times.
        var runs = 0
        for run in 0..<(4 * Self.runs) {
            if run > 0 && run % Self.runs == 0 {
                if outcomes.new == 0 { window *= 2 } else if outcomes.old == 0 { window /= 2 } else { break }
            }
            runs += 1
            let delay = generator.next() % window
            _ = try await CrashConsistencyTests.killedRunOffThePool(executable, arguments, after: delay, restoring: state, to: templateFiles)

            let installed: InstalledTrust
            do {
                installed = try TrustStoreDirectory(path: state).load(anchors: pki.anchors)
            } catch {
                Issue.record("run \(run) (killed after \(delay) µs): the store does not load: \(error)")
                continue
            }
            let revoked = try [DeltaBundleTests.removedUCI, DeltaBundleTests.addedUCI, DeltaBundleTests.laterUCI].map {
                try DeltaBundleTests.isRevoked(installed, $0)
            }
            switch installed.manifest.sequence {
            case 2:
                outcomes.old += 1
                #expect(installed.delta?.manifest.sequence == 2 && revoked == [false, true, false], "run \(run): \(revoked)")
            case 3:
                outcomes.new += 1
                staleDeltas += installed.ignoredDelta == nil ? 0 : 1
                #expect(revoked == [false, false, true], "run \(run): \(revoked)")
                #expect(offer == .full ? installed.delta == nil : installed.delta?.manifest.sequence == 3, "run \(run)")
            default:
                Issue.record("run \(run): loaded sequence \(installed.manifest.sequence)")
            }
        }
        print("DELTA-CRASH-TEST offer=\(offer) runs=\(runs) old=\(outcomes.old) new=\(outcomes.new) stale-deltas-ignored=\(staleDeltas) window=\(window / 1_000)ms")
        #expect(outcomes.old > 0 && outcomes.new > 0, "the kill window missed the writes: \(outcomes)")
    }
}
