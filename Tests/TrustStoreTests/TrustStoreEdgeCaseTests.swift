import Glibc
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
@testable import TrustStore

@Suite("Trust store edge cases")
struct TrustStoreEdgeCaseTests {
    let anchors = TSPKI.shared.anchors

    @Test("sequences above 2^53 compare exactly (no rounding through Double)")
    func largeSequences() throws {
        let temporary = try TemporaryDirectory("edge")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        let base: UInt64 = 1 << 53
        try store.install(from: try temporary.write("a.bundle", try TSFixture.bundle(sequence: base + 1, extraRevocations: 0)), anchors: anchors, now: Date())
        #expect(store.installedSequence() == base + 1)
        try store.install(from: try temporary.write("b.bundle", try TSFixture.bundle(sequence: base + 2, extraRevocations: 0)), anchors: anchors, now: Date())
        #expect(store.installedSequence() == base + 2)
        #expect(try store.load(anchors: anchors).manifest.sequence == base + 2)
        expectTrustStoreError(.rollback) {
            try store.install(from: try temporary.write("c.bundle", try TSFixture.bundle(sequence: base + 1, extraRevocations: 0)), anchors: anchors, now: Date())
        }
        try store.install(from: try temporary.write("d.bundle", try TSFixture.bundle(sequence: UInt64.max, extraRevocations: 0)), anchors: anchors, now: Date())
        #expect(store.installedSequence() == UInt64.max)
        expectTrustStoreError(.rollback) {
            try store.install(from: try temporary.write("e.bundle", try TSFixture.bundle(sequence: UInt64.max, extraRevocations: 0)), anchors: anchors, now: Date())
        }
    }

    @Test("leftover temporary files from a crashed import are cleaned by the next install")
    func leftoversCleaned() throws {
        let temporary = try TemporaryDirectory("edge")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        try store.install(from: try temporary.write("a.bundle", try TSFixture.bundle(sequence: 1)), anchors: anchors, now: Date())
        try temporary.write("state/.tmp-1234-5678", [1, 2, 3])
        try store.install(from: try temporary.write("b.bundle", try TSFixture.bundle(sequence: 2)), anchors: anchors, now: Date())
        #expect(Set(try TSDirectory.snapshot(store.path).keys) == ["trust.bundle", "trust.sequence", ".lock"])
    }

    @Test("a bundle offered from inside the state directory itself installs and the source stays")
    func sourceInsideStateDirectory() throws {
        let temporary = try TemporaryDirectory("edge")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        try temporary.directory("state")
        let bytes = try TSFixture.bundle(sequence: 1)
        let inside = try temporary.write("state/offered.bundle", bytes)
        try store.install(from: inside, anchors: anchors, now: Date())
        #expect(try TSDirectory.bytes(store.bundlePath) == bytes)
        #expect(try TSDirectory.bytes(inside) == bytes)
    }

    /// Two imports at once. Bundle 6 is larger (slower to verify) than 7, so 7 can land while 6 is being checked.
    /// Two imports at once (a udev-triggered import and a manual one, say): the store must end with
    /// the higher sequence whenever that import reported success, and the high-water mark must never
    /// go down. Today nothing serialises check-then-rename (no lock), and `trust.sequence` is written
    /// with the installing bundle's own sequence, not the maximum.
    @Test("concurrent imports never leave the store below a sequence that was reported installed")
    func concurrentImports() throws {
        let temporary = try TemporaryDirectory("edge")
        let six = try temporary.write("six.bundle", try TSFixture.bundle(sequence: 6, extraRevocations: 40_000, seed: 6))
        let seven = try temporary.write("seven.bundle", try TSFixture.bundle(sequence: 7, extraRevocations: 20_000, seed: 7))
        let five = try temporary.write("five.bundle", try TSFixture.bundle(sequence: 5))
        let sevenBytes = try TSDirectory.bytes(seven)
        let anchors = self.anchors
        var rolledBack = 0, foreignFailures: [String] = []
        let rounds = 50
        for round in 0..<rounds {
            let store = TrustStoreDirectory(path: temporary.file("state-\(round)"))
            try store.install(from: five, anchors: anchors, now: Date())
            let results = Shared<[UInt64: String]>([:])
            let group = DispatchGroup()
            let start = DispatchSemaphore(value: 0)
            for (sequence, path) in [(UInt64(6), six), (UInt64(7), seven)] {
                group.enter()
                Thread.detachNewThread {
                    start.wait()
                    let outcome: String
                    do {
                        try store.install(from: path, anchors: anchors, now: Date())
                        outcome = "installed"
                    } catch let error as TrustStoreError {
                        outcome = error.code == .systemCall ? "system-call (\(error.detail))" : error.code.description
                    } catch {
                        outcome = "\(error)"
                    }
                    results.withLock { $0[sequence] = outcome }
                    group.leave()
                }
            }
            start.signal()
            start.signal()
            group.wait()
            let outcome = results.withLock { $0 }
            if outcome[7] == "installed" {
                #expect(store.installedSequence() == 7, "round \(round): \(outcome)")
                #expect(try TSDirectory.bytes(store.bundlePath) == sevenBytes, "round \(round): \(outcome): bundle 7 was reported installed but is not the store")
                #expect(try TSDirectory.bytes(store.path + "/trust.sequence") == Array("7\n".utf8), "round \(round): the high-water mark went down")
            } else {
                foreignFailures.append("round \(round): \(outcome)")
            }
            if outcome[6] == "rollback" { rolledBack += 1 }
        }
        // An import must not fail because another import deleted its temporary copy.
        #expect(foreignFailures.isEmpty, "\(foreignFailures)")
        print("CONCURRENT-IMPORTS rounds=\(rounds) six-refused-as-rollback=\(rolledBack) foreign-failures=\(foreignFailures.count)")
    }
}
