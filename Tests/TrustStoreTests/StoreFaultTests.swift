import Foundation
import GateCheckTestSupport
import Testing
@testable import TrustStore

/// The state partition as a field device meets it: full (ENOSPC) or read-only (EROFS), on a real tmpfs the test
/// mounts. An import that cannot complete is refused with its own reason code, and the installed files stay
/// byte for byte what they were, still loadable.
@Suite("Trust store faults on a full or read-only state partition", .serialized)
struct StoreFaultTests {
    let anchors = TSPKI.shared.anchors

    /// A tmpfs of `bytes` with the state directory inside it and bundle 1 installed; nil (skipped) without root.
    struct Partition {
        let root: TemporaryDirectory
        let mount: TmpfsMount
        let store: TrustStoreDirectory

        init?(bytes: Int, test: String) throws {
            root = try TemporaryDirectory("store-fault")
            guard let mount = TmpfsMount.mount(on: try root.directory("partition"), bytes: bytes, test: test) else { return nil }
            self.mount = mount
            store = TrustStoreDirectory(path: mount.path + "/state")
            try store.install(
                from: try root.write("bundle-1", TSFixture.bundle(sequence: 1, extraRevocations: 0)), anchors: TSPKI.shared.anchors,
                now: Date())
        }

        func offer(_ bytes: [UInt8], _ name: String) throws -> String { try root.write(name, bytes) }

        func close() {
            mount.unmount()
            root.remove()
        }
    }

    @Test func aBundleLargerThanTheFreeSpaceIsRefusedAndTheInstalledOneStays() throws {
        guard let partition = try Partition(bytes: 256 << 10, test: "ENOSPC import") else { return }
        defer { partition.close() }
        let big = try TSFixture.bundle(sequence: 2, extraRevocations: 6_000)
        #expect(big.count > partition.mount.freeBytes(), "the offered bundle must not fit")
        let before = try TSDirectory.snapshot(partition.store.path)

        let refused = expectTrustStoreError(.noSpace) {
            try partition.store.install(from: partition.offer(big, "bundle-2"), anchors: anchors, now: Date())
        }
        #expect(refused?.detail.contains("No space left on device") == true, "\(String(describing: refused))")
        #expect(try TSDirectory.snapshot(partition.store.path) == before, "installed files byte-identical, no temporary left")
        #expect(try partition.store.load(anchors: anchors).manifest.sequence == 1, "the old bundle is still installed and loads")

        // The same offer through the stick's path (a volume's bytes written into the store's copy).
        expectTrustStoreError(.noSpace) {
            _ = try partition.store.install(describedAs: "/dev/stick", anchors: anchors, now: Date()) { (output, path) throws(TrustStoreError) in
                try TrustFiles.writeAll(output, path, big[...])
            }
        }
        #expect(try TSDirectory.snapshot(partition.store.path) == before)

        // And as the technician runs it: `gatecheck trust import` says why, in one line with the code.
        guard let cli = builtExecutable("gatecheck") else {
            Issue.record("gatecheck must be built beside the tests")
            return
        }
        let anchorsFolder = try partition.root.directory("anchors")
        try TSDirectory.write(TSPKI.pem(TSPKI.shared.root), to: anchorsFolder + "/root.pem")
        let result = try runProcess(
            cli, ["trust", "import", "--state-dir", partition.store.path, "--anchors", anchorsFolder, try partition.offer(big, "bundle-2c")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("no-space"), "\(result.standardError)")
        #expect(try TSDirectory.snapshot(partition.store.path) == before)
    }

    /// The bundle's copy fits, but the sequence mark written with it does not. The running daemon keeps the old
    /// bundle mapped (here: a loaded `InstalledTrust`), so renaming the new one over it frees nothing.
    @Test func whenTheBundleFitsButTheSequenceMarkDoesNotNothingIsRenamed() throws {
        guard let partition = try Partition(bytes: 1 << 20, test: "ENOSPC on the second file") else { return }
        defer { partition.close() }
        let inUse = try partition.store.load(anchors: anchors)
        let offered = try TSFixture.bundle(sequence: 2, extraRevocations: 1_000)
        let page = 4_096
        let pagesNeeded = (offered.count + page - 1) / page
        let filler = partition.mount.path + "/filler"
        try TSDirectory.write([UInt8](repeating: 0xA5, count: partition.mount.freeBytes() - pagesNeeded * page), to: filler)
        #expect(partition.mount.freeBytes() == pagesNeeded * page, "exactly the bundle's pages are left")
        let before = try TSDirectory.snapshot(partition.store.path)

        expectTrustStoreError(.noSpace) {
            try partition.store.install(from: partition.offer(offered, "bundle-2"), anchors: anchors, now: Date())
        }
        #expect(try TSDirectory.snapshot(partition.store.path) == before, "neither the bundle nor the mark was replaced")
        #expect(try partition.store.load(anchors: anchors).manifest.sequence == 1)
        #expect(partition.store.installedSequence() == 1)

        // Space again: the same offer installs, bundle and mark together.
        try FileManager.default.removeItem(atPath: filler)
        try partition.store.install(from: partition.offer(offered, "bundle-2b"), anchors: anchors, now: Date())
        #expect(try partition.store.load(anchors: anchors).manifest.sequence == 2)
        #expect(try String(contentsOfFile: partition.store.sequencePath, encoding: .utf8) == "2\n")
        withExtendedLifetime(inUse) {}
    }

    @Test func aReadOnlyStateDirectoryRefusesImportsAndStillLoads() throws {
        guard let partition = try Partition(bytes: 1 << 20, test: "read-only state directory") else { return }
        defer { partition.close() }
        try partition.store.recordClock(Date().addingTimeInterval(-3_600))
        let before = try TSDirectory.snapshot(partition.store.path)
        try partition.mount.remount(readOnly: true)
        defer { try? partition.mount.remount(readOnly: false) }

        let refused = expectTrustStoreError(.readOnly) {
            try partition.store.install(
                from: partition.offer(try TSFixture.bundle(sequence: 2, extraRevocations: 0), "bundle-2"), anchors: anchors, now: Date())
        }
        #expect(refused?.detail.contains("Read-only file system") == true, "\(String(describing: refused))")
        expectTrustStoreError(.readOnly) { try partition.store.recordClock(Date()) }
        #expect(try TSDirectory.snapshot(partition.store.path) == before)
        #expect(try partition.store.load(anchors: anchors).manifest.sequence == 1, "the installed trust is still served")
        #expect(partition.store.clockHighWater() != nil)
    }

    /// Alignment padding is covered by no hash: it must be zero, or a bit flipped there would go unseen.
    @Test func aBitFlippedInTheAlignmentPaddingIsRefused() throws {
        let root = try TemporaryDirectory("store-fault")
        let bytes = try TSFixture.bundle(sequence: 1, extraRevocations: 0)
        let entries = TSFixture.entries(bytes)
        let tableEnd = 16 + 48 * entries.count
        let ends = [tableEnd] + entries.map { $0.offset + $0.length }
        let gaps = zip(ends, entries).filter { $0.0 < $0.1.offset }.map { $0.0..<$0.1.offset }
        let padding = try #require(gaps.first, "the fixture bundle has padding between its sections")
        for offset in [padding.lowerBound, padding.upperBound - 1] {
            var flipped = bytes
            flipped[offset] ^= 0x04
            let store = TrustStoreDirectory(path: try root.directory("state-\(offset)"))
            let refused = expectTrustStoreError(.malformed) {
                try store.install(from: root.write("flipped-\(offset)", flipped), anchors: anchors, now: Date())
            }
            #expect(refused?.detail.contains("padding") == true, "\(String(describing: refused))")
        }
    }
}
