import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import Glibc
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
@testable import TrustStore

/// Issue 3 §7: an import killed with SIGKILL at a random moment leaves a store that loads as the old
/// bundle or the new one, never neither.
@Suite("Crash consistency of trust import")
struct CrashConsistencyTests {
    static let runs = 200

    /// Spawns `gatecheck` with stdout and stderr to /dev/null; returns its pid.
    static func spawn(_ executable: String, _ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw TSError("posix_spawn: \(String(cString: strerror(rc)))") }
        return pid
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Replaces `directory` with exactly `files`.
    static func restore(_ directory: String, _ files: [String: [UInt8]]) throws {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files { try TSDirectory.write(bytes, to: directory + "/" + name) }
    }

    /// Restores `directory` to `files`, spawns the command and SIGKILLs it after `delay` µs; returns its wait status.
    static func killedRun(
        _ executable: String, _ arguments: [String], after delay: UInt64, restoring directory: String, to files: [String: [UInt8]]
    ) throws -> Int32 {
        try restore(directory, files)
        let pid = try spawn(executable, arguments)
        usleep(useconds_t(delay))
        kill(pid, SIGKILL)
        return wait(pid)
    }

    /// ``killedRun(_:_:after:restoring:to:)`` on a thread of its own: its sleep and waitpid block, and a 2-core
    /// machine's cooperative pool has two threads, which two crash suites blocking them would take from every
    /// other suite's async tests (a daemon that cannot start within minutes) for as long as they run.
    static func killedRunOffThePool(
        _ executable: String, _ arguments: [String], after delay: UInt64, restoring directory: String, to files: [String: [UInt8]]
    ) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try killedRun(executable, arguments, after: delay, restoring: directory, to: files) })
            }
        }
    }

    static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }

    @Test("SIGKILL at random moments of `gatecheck trust import`: the store is always old or new")
    func killedImports() async throws {
        let executable = try #require(builtExecutable("gatecheck"), "the gatecheck binary must be built beside the tests")
        let started = Date()
        let pki = TSPKI.shared
        let temporary = try TemporaryDirectory("crash")

        // A few hundred signers and 100k revocation entries, so the writes take measurable time.
        let signers = try (0..<300).map { index in try TestIssuer(country: index % 2 == 0 ? "XX" : "YY").signer }
        let oldBytes = try TSFixture.bundle(sequence: 1, signers: signers, extraRevocations: 34_000, seed: 11)
        let newBytes = try TSFixture.bundle(sequence: 2, signers: Array(signers.reversed()), extraRevocations: 34_000, seed: 22)
        let anchors = try temporary.directory("anchors")
        try TSDirectory.write(TSPKI.pem(pki.root), to: anchors + "/root.pem")
        let newPath = try temporary.write("new.bundle", newBytes)
        let oldPath = try temporary.write("old.bundle", oldBytes)

        // The state directory as it is before the import: OLD installed.
        let template = TrustStoreDirectory(path: temporary.file("template"))
        try template.install(from: oldPath, anchors: pki.anchors, now: Date())
        let templateFiles = try TSDirectory.snapshot(template.path)
        #expect(Set(templateFiles.keys) == ["trust.bundle", "trust.sequence", ".lock"])

        let state = temporary.file("state")
        let arguments = ["trust", "import", "--state-dir", state, "--anchors", anchors, newPath]

        // Measure an uninterrupted import (spawn to exit) to scale the kill delays.
        var durations: [UInt64] = []
        for _ in 0..<3 {
            try Self.restore(state, templateFiles)
            let begin = Self.monotonicMicroseconds()
            let status = Self.wait(try Self.spawn(executable, arguments))
            durations.append(Self.monotonicMicroseconds() - begin)
            #expect(status == 0, "an uninterrupted import must succeed (status \(status))")
            #expect(try TSDirectory.bytes(state + "/trust.bundle") == newBytes)
        }
        let measured = durations.max()!
        let window = max(UInt64(Double(measured) * 1.4), 5_000)  // imports run slower under load than when measured

        var generator = SplitMix64(seed: 0x6A7E_C4EC)
        var outcomes = (old: 0, new: 0)
        var killed = 0, finished = 0, leftoverTemporaries = 0, repairedMarks = 0
        for run in 0..<Self.runs {
            let delay = generator.next() % window
            let status = try await Self.killedRunOffThePool(executable, arguments, after: delay, restoring: state, to: templateFiles)
            // WIFSIGNALED / WEXITSTATUS by hand (macros are not imported).
            if status & 0x7F == SIGKILL { killed += 1 } else if (status >> 8) & 0xFF == 0 && status & 0x7F == 0 { finished += 1 } else {
                Issue.record("run \(run): import exited with status \(status) without being killed")
            }

            let files = try TSDirectory.snapshot(state)
            leftoverTemporaries += files.keys.contains { $0.hasPrefix(".tmp-") } ? 1 : 0
            let store = TrustStoreDirectory(path: state)
            let installed: InstalledTrust
            do {
                installed = try store.load(anchors: pki.anchors)
            } catch {
                Issue.record("run \(run) (killed after \(delay) µs): the store does not load: \(error); files \(files.keys.sorted())")
                continue
            }
            let sequence = installed.manifest.sequence
            let bundleBytes = try TSDirectory.bytes(store.bundlePath)
            if files["trust.sequence"] != Array("\(sequence)\n".utf8) { repairedMarks += 1 }
            switch sequence {
            case 1:
                outcomes.old += 1
                #expect(bundleBytes == oldBytes, "run \(run)")
                #expect(installed.trust.hcert.count == signers.count)
                // The interrupted import can be repeated.
                let again = try store.install(from: newPath, anchors: pki.anchors, now: Date())
                #expect(again.manifest.sequence == 2)
            case 2:
                outcomes.new += 1
                #expect(bundleBytes == newBytes, "run \(run)")
                expectTrustStoreError(.rollback, "run \(run)") { try store.install(from: newPath, anchors: pki.anchors, now: Date()) }
                // The high-water mark now says 2 even if the kill came before trust.sequence was written.
                #expect(try TSDirectory.bytes(state + "/trust.sequence") == Array("2\n".utf8), "run \(run)")
            default:
                Issue.record("run \(run): loaded sequence \(sequence)")
            }
        }
        #expect(outcomes.old + outcomes.new == Self.runs)
        let elapsed = Date().timeIntervalSince(started)
        let summary = "CRASH-TEST runs=\(Self.runs) old=\(outcomes.old) new=\(outcomes.new) killed=\(killed) finished=\(finished) "
            + "leftover-temporaries=\(leftoverTemporaries) repaired-sequence-marks=\(repairedMarks) "
            + "import-duration=\(measured / 1_000)ms window=\(window / 1_000)ms bundle=\(newBytes.count) bytes elapsed=\(String(format: "%.1f", elapsed))s"
        print(summary)
        // Both outcomes must actually occur, or the kill window missed the writes.
        #expect(outcomes.old > 0 && outcomes.new > 0, "\(summary)")
    }
}
