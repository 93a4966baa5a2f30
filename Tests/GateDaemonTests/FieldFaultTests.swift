import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateVocabulary
import Glibc
import HealthCredentials
import HealthCredentialsTesting
import SystemCalls
import Testing
import TrustStore

@testable import GateDaemon

/// The faults a field device meets, on the gate side: a bit flipped in the installed bundle, a read-only state
/// directory, a clock that jumps, and a configuration file caught half-written. Each ends in a fault or a refusal
/// with a reason code, never in a pass; real files and a real tmpfs, the clock behind `GateOptions.wallClock`.
@Suite("Field faults of the gate", .serialized)
struct FieldFaultTests {
    typealias Harness = GateFaultTests.Harness

    /// When the keeper decides: inside the test credential's validity.
    static let clock = TestCredential.validAt

    /// A harness whose bundle 1 was installed at `clock`, and `[trust]` with a 30-day maximum age.
    static func harness() throws -> (Harness, DaemonConfiguration) {
        let harness = try Harness(now: clock)
        let text = harness.configurationText() + "[trust]\nmax_trust_age_days = 30\n"
        return (harness, try DaemonConfiguration.parse(text, file: "field.conf"))
    }

    /// The keeper's decision on a genuine, valid credential at `now`.
    static func decide(_ keeper: TrustKeeper, _ harness: Harness, at now: Date) throws -> Decision {
        let (verifier, context) = keeper.decisionInputs(now: now)
        return Decision(verifier.verify(payload: Array(try harness.issuer.hc1(TestCredential()).utf8), in: context))
    }

    /// XORs one bit of the file at `offset` in place (same inode, as flash corruption or a stray write would).
    static func flipBit(_ path: String, at offset: Int) throws {
        let fd = open(path, O_RDWR)
        try #require(fd >= 0, "open \(path)")
        defer { close(fd) }
        var byte: UInt8 = 0
        try #require(pread(fd, &byte, 1, off_t(offset)) == 1)
        byte ^= 0x04
        try #require(pwrite(fd, &byte, 1, off_t(offset)) == 1)
    }

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    // MARK: A flipped bit in the installed bundle

    @Test func aBitFlippedAnywhereInTheInstalledBundleIsRefusedAtLoad() throws {
        let (harness, configuration) = try Self.harness()
        let path = configuration.stateDirectory + "/trust.bundle"
        let size = try Self.fileSize(path)
        // The header and section table, then every 1/64 of the file, and its last byte.
        let offsets = Array(0..<64) + stride(from: 64, to: size, by: max(1, size / 64)) + [size - 1]
        for offset in offsets {
            try Self.flipBit(path, at: offset)
            let keeper = TrustKeeper(configuration: configuration)
            guard case .failed(let fault, _) = keeper.reload(force: true) else {
                Issue.record("a bit flipped at byte \(offset) of \(size) was not detected")
                try Self.flipBit(path, at: offset)
                continue
            }
            #expect(fault == .trustInvalid, "byte \(offset)")
            #expect(keeper.health(now: Self.clock).fault == .trustInvalid)
            let decision = try Self.decide(keeper, harness, at: Self.clock)
            #expect(decision.verdict == .fail, "byte \(offset): no pass without verified trust")
            try Self.flipBit(path, at: offset)  // restored for the next position
        }
        let keeper = TrustKeeper(configuration: configuration)
        guard case .loaded = keeper.reload(force: true) else { throw TmpfsMountError("the restored bundle does not load") }
        #expect(try Self.decide(keeper, harness, at: Self.clock).verdict == .pass, "the restored bundle decides again")
    }

    @Test func aBitFlippedInTheBundleInUseIsAFaultUntilAGoodBundleIsImported() throws {
        let (harness, configuration) = try Self.harness()
        let keeper = TrustKeeper(configuration: configuration)
        guard case .loaded = keeper.reload(force: true) else { throw TmpfsMountError("bundle 1 does not load") }
        #expect(try Self.decide(keeper, harness, at: Self.clock).verdict == .pass)

        let path = configuration.stateDirectory + "/trust.bundle"
        try Self.flipBit(path, at: try Self.fileSize(path) / 2)
        guard case .failed(let fault, _) = keeper.reload(force: false) else {
            Issue.record("the changed file was not checked again")
            return
        }
        #expect(fault == .trustInvalid)
        #expect(keeper.health(now: Self.clock).fault == .trustInvalid, "the trust in use is read from that very file: a fault")
        let during = try Self.decide(keeper, harness, at: Self.clock)
        #expect(during.verdict == .fail)
        #expect(keeper.statusFields(now: Self.clock).sequence == nil, "no trust in use")

        try TrustStoreDirectory(path: configuration.stateDirectory).install(
            from: harness.root.write("in/bundle-2", harness.pki.bundle(sequence: 2, signers: [harness.issuer], now: Self.clock)),
            anchors: [harness.pki.anchor.certificate], now: Self.clock)
        guard case .loaded(let sequence, _, _) = keeper.reload(force: false) else {
            Issue.record("the good bundle was not picked up")
            return
        }
        #expect(sequence == 2)
        #expect(keeper.health(now: Self.clock).fault == nil)
        #expect(try Self.decide(keeper, harness, at: Self.clock).verdict == .pass, "recovered")
    }

    @Test func theRunningDaemonShowsTrustInvalidForAFlippedBitAndRecovers() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let configuration = try DaemonConfiguration.parse(harness.configurationText(), file: "flip.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: CameraScript(.frames)))
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })

        let path = configuration.stateDirectory + "/trust.bundle"
        try Self.flipBit(path, at: try Self.fileSize(path) / 3)
        #expect(await eventuallyAsync { harness.status()?.faults == [.trustInvalid] }, "trust-invalid shown")
        #expect(await eventuallyAsync { harness.notify.lines.contains { $0.hasPrefix("STATUS=FAULT trust-invalid") } })
        #expect(await eventuallyAsync { harness.recorder.events.filter { $0.description == "fault on" }.count >= 2 }, "amber blinks")

        try TrustStoreDirectory(path: configuration.stateDirectory).install(
            from: harness.root.write("in/bundle-2", harness.pki.bundle(sequence: 2, signers: [harness.issuer])),
            anchors: [harness.pki.anchor.certificate], now: Date())
        #expect(await eventuallyAsync { harness.status()?.faults == [] && harness.status()?.trustSequence == 2 }, "recovered")

        await daemon.stop()
        try await running.value
    }

    // MARK: A read-only state directory

    @Test func aReadOnlyStateDirectoryStillServesTheInstalledTrustAndSaysSoOnce() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        guard let partition = TmpfsMount.mount(on: try harness.root.directory("ro-state"), bytes: 1 << 20, test: "read-only state (daemon)")
        else { return }
        defer { partition.unmount() }
        for name in ["trust.bundle", "trust.sequence"] {
            try FileManager.default.copyItem(atPath: harness.root.path + "/state/" + name, toPath: partition.path + "/" + name)
        }
        let emptyPartition = try harness.root.directory("ro-empty")
        guard let empty = TmpfsMount.mount(on: emptyPartition, bytes: 64 << 10, test: "read-only state (daemon)") else { return }
        defer { empty.unmount() }
        try partition.remount(readOnly: true)
        try empty.remount(readOnly: true)

        let text = harness.configurationText().replacing("\(harness.root.path)/state", with: partition.path)
        let configuration = try DaemonConfiguration.parse(text, file: "ro.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: CameraScript(.frames)))
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })
        let status = try #require(harness.status())
        #expect(status.faults == [], "the installed trust is served from a read-only directory")
        #expect(status.trustSequence == 1)
        try await Task.sleep(for: .milliseconds(3_500))  // several housekeeping rounds, each trying to record the clock
        let warnings = harness.logs.items.filter { $0.contains("cannot record the clock high-water mark") }
        #expect(warnings.count == 1, "said once, not every second: \(warnings)")
        #expect(warnings.first?.contains("read-only") == true)
        await daemon.stop()
        try await running.value

        // With nothing installed, a read-only directory is trust-missing: every verdict fails.
        let bare = TrustKeeper(configuration: try DaemonConfiguration.parse(text.replacing(partition.path, with: empty.path), file: "ro.conf"))
        guard case .failed(let fault, _) = bare.reload(force: true) else {
            Issue.record("an empty store loaded")
            return
        }
        #expect(fault == .trustMissing)
        #expect(try Self.decide(bare, harness, at: Date()).verdict == .fail)
    }

    // MARK: The clock jumps

    @Test func clockJumpsBackAndForwardBecomeFaultsAndNeverPasses() throws {
        let (harness, configuration) = try Self.harness()
        let keeper = TrustKeeper(configuration: configuration)
        guard case .loaded = keeper.reload(force: true) else { throw TmpfsMountError("bundle 1 does not load") }
        let store = TrustStoreDirectory(path: configuration.stateDirectory)
        #expect(keeper.health(now: Self.clock).fault == nil)
        #expect(try Self.decide(keeper, harness, at: Self.clock).verdict == .pass)
        try keeper.recordClock(now: Self.clock)
        #expect(store.clockHighWater() == Self.clock)

        // Back before the bundle was signed (a Pi without RTC after a power cut).
        let back = Self.clock.addingTimeInterval(-3 * 86_400)
        #expect(keeper.health(now: back).fault == .clockUntrusted)
        let refused = try Self.decide(keeper, harness, at: back)
        #expect(refused.verdict == .fail)
        #expect(refused.reason == .clockUntrusted)

        // Forward beyond the 30-day maximum age: stale, and that time is not recorded as seen.
        let ahead = Self.clock.addingTimeInterval(60 * 86_400)
        #expect(keeper.health(now: ahead).fault == .trustStale)
        let stale = try Self.decide(keeper, harness, at: ahead)
        #expect(stale.verdict == .fail)
        #expect(stale.reason == .trustStale)
        try keeper.recordClock(now: ahead)
        #expect(store.clockHighWater() == Self.clock, "a clock judged wrong never moves the mark")

        // Back to the right time: deciding again.
        let normal = Self.clock.addingTimeInterval(600)
        #expect(keeper.health(now: normal).fault == nil)
        #expect(try Self.decide(keeper, harness, at: normal).verdict == .pass)
    }

    @Test func theRunningDaemonShowsClockJumpsAsFaultsAndRecovers() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let now = Shared(Date())
        let start = now.value
        let configuration = try DaemonConfiguration.parse(harness.configurationText() + "[trust]\nmax_trust_age_days = 30\n", file: "clock.conf")
        var options = harness.options(source: CameraScript(.frames))
        options.wallClock = WallClock { now.value }
        let daemon = GateDaemon(configuration: configuration, options: options)
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })
        #expect(harness.status()?.faults == [])

        now.withLock { $0 = start.addingTimeInterval(-3 * 86_400) }
        #expect(await eventuallyAsync { harness.status()?.faults == [.clockUntrusted] }, "a clock behind the bundle")
        now.withLock { $0 = start.addingTimeInterval(60 * 86_400) }
        #expect(await eventuallyAsync { harness.status()?.faults == [.trustStale] }, "a clock beyond the maximum age")
        now.withLock { $0 = start.addingTimeInterval(5) }
        #expect(await eventuallyAsync { harness.status()?.faults == [] && harness.status()?.state == .ready }, "recovered")
        #expect(await eventuallyAsync { harness.logs.items.contains { $0.contains("clock-untrusted") } })
        #expect(await eventuallyAsync { harness.logs.items.contains { $0.contains("trust-stale") } })

        await daemon.stop()
        try await running.value
    }

    // MARK: A configuration file caught mid-write

    /// `text` as an editor or a copy leaves it when caught partway: cut inside its last line.
    static func halfWritten(_ text: String) -> String {
        var cut = text
        while cut.last == "\n" { cut.removeLast() }
        cut.removeLast()  // `offset = 18` reads `offset = 1`: valid TOML, a different GPIO line
        return cut
    }

    @Test func aReloadOfAHalfWrittenFileIsRefusedAndTheRunningConfigurationStays() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let path = try harness.root.write("gatecheck.conf", harness.configurationText(socket: "first.sock"))
        var options = harness.options(source: CameraScript(.frames))
        options.configurationPath = path
        let daemon = GateDaemon(configuration: try DaemonConfiguration.load(path: path), options: options)
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status("first.sock")?.state == .ready })

        let half = Self.halfWritten(harness.configurationText(socket: "second.sock"))
        #expect((try? DaemonConfiguration.parse(half, file: "half.conf")) != nil, "the cut text alone would parse")
        try harness.root.write("gatecheck.conf", half)
        await daemon.reload()
        #expect(harness.logs.items.contains { $0.contains("reload refused") && $0.contains("half-written") }, "\(harness.logs.items.suffix(3))")
        #expect(await eventuallyAsync { harness.count("READY=1") == 2 }, "reload finished")
        #expect(harness.status("first.sock")?.state == .ready, "the running configuration stays")
        #expect(!FileManager.default.fileExists(atPath: harness.root.path + "/second.sock"))

        // Truncated and not yet written again: empty, which would reset every setting.
        try harness.root.write("gatecheck.conf", "")
        await daemon.reload()
        #expect(harness.logs.items.contains { $0.contains("reload refused") && $0.contains("is empty") }, "\(harness.logs.items.suffix(3))")
        #expect(await eventuallyAsync { harness.count("READY=1") == 3 }, "reload finished")
        #expect(harness.status("first.sock")?.state == .ready, "the running configuration stays")

        // The write completes; the next SIGHUP takes it.
        try harness.root.write("gatecheck.conf", harness.configurationText(socket: "second.sock"))
        await daemon.reload()
        #expect(await eventuallyAsync { harness.status("second.sock")?.state == .ready })

        await daemon.stop()
        try await running.value
    }

    @Test func aHalfWrittenFileStopsTheStartWithExit78() throws {
        guard let daemonBinary = builtExecutable("gatecheckd") else {
            Issue.record("gatecheckd must be built beside the tests")
            return
        }
        let root = try TemporaryDirectory("gd", shortPath: true)
        // `pass_ms = 1500` cut after three digits: in range, so only the missing newline tells.
        let path = try root.write("half.conf", "log_level = \"info\"\n[timings]\npass_ms = 150")
        let result = try runProcess(daemonBinary, ["--config", path])
        #expect(result.status == 78)
        #expect(result.standardError.split(separator: "\n").count == 1, "one line: \(result.standardError)")
        #expect(result.standardError.contains("half.conf:3: the last line ends without a newline"), "\(result.standardError)")
    }

    @Test func theConfigurationIsReadWithoutFollowingALinkAndWithinItsSizeLimit() throws {
        let root = try TemporaryDirectory("gd")
        let real = try root.write("real.conf", "log_level = \"debug\"\n")
        let link = root.path + "/link.conf"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        func code(_ path: String) -> DaemonSupportError.Code? {
            do {
                _ = try DaemonConfiguration.load(path: path)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(link) == .unreadableFile)
        #expect(code("/dev/zero") == .unreadableFile)
        let huge = try root.write("huge.conf", String(repeating: "# padding\n", count: 120_000))
        #expect(code(huge) == .unreadableFile)
        #expect(try DaemonConfiguration.load(path: real).logLevel == .debug)
    }
}
