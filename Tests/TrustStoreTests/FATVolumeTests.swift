import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing
@testable import TrustStore

/// The stick's FAT reader on images made in code (FAT16, FAT32), each broken in one way, and on images
/// made by dosfstools and mtools where they are installed. Every refusal is a `TrustStoreError`; none may
/// crash or hang.
struct FATVolumeTests {
    static let bundleName = RemovableVolume.bundleFileName

    static func contents(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    static func read(_ image: FATImage) throws -> [UInt8] {
        try FATVolume(InMemoryVolume(image.bytes), name: "image").readBundle()
    }

    /// The refusal's code, or nil when the image was read.
    static func refusal(_ bytes: [UInt8]) -> TrustStoreError? {
        do {
            _ = try FATVolume(InMemoryVolume(bytes), name: "image").readBundle()
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [FATImage.Kind.fat16, .fat32])
    func aBundleIsReadWholeFromItsChain(kind: FATImage.Kind) throws {
        var image = FATImage(kind: kind)
        let other = Self.contents(700, seed: 1)
        image.addFile(longName: "other-name.bundle", shortName: "OTHER-~1BUN", contents: other)
        let bundle = Self.contents(3 * FATImage.sectorSize + 17, seed: 2)
        image.addFile(longName: Self.bundleName, contents: bundle)
        let volume = try FATVolume(InMemoryVolume(image.bytes), name: "image")
        #expect(volume.kind == (kind == .fat16 ? .fat16 : .fat32))
        #expect(try volume.readBundle() == bundle)
    }

    @Test func anEmptyBundleReadsAsNoBytes() throws {
        var image = FATImage(kind: .fat16)
        image.addFile(longName: Self.bundleName, contents: [])
        #expect(try Self.read(image).isEmpty)
    }

    // MARK: The file

    @Test(arguments: [FATImage.Kind.fat16, .fat32])
    func onlyAPlainFileOfTheExactLongNameIsTaken(kind: FATImage.Kind) {
        let bundle = Self.contents(1_000, seed: 3)
        let cases: [(String, (inout FATImage) -> Void, TrustStoreError.Code)] = [
            ("other name", { $0.addFile(longName: "other-name.bundle", contents: bundle) }, .noBundle),
            ("other case", { $0.addFile(longName: "GATECHECK-TRUST.BUNDLE", contents: bundle) }, .noBundle),
            ("no long name", { $0.addFile(longName: nil, contents: bundle) }, .noBundle),
            ("bad checksum", { $0.addFile(longName: Self.bundleName, contents: bundle, checksumDelta: 1) }, .noBundle),
            ("directory", { $0.addFile(longName: Self.bundleName, attributes: 0x10, contents: bundle) }, .unsafeFile),
            ("volume label", { $0.addFile(longName: Self.bundleName, attributes: 0x08, contents: bundle) }, .unsafeFile),
            ("twice", { $0.addFile(longName: Self.bundleName, contents: bundle); $0.addFile(longName: Self.bundleName, contents: bundle) }, .badVolume),
            ("deleted", { image in
                image.addFile(longName: Self.bundleName, contents: bundle)
                let short = image.rootOffset + 2 * 32  // two long-name entries, then the short one
                image.bytes[short] = 0xE5
            }, .noBundle),
        ]
        for (what, make, code) in cases {
            var image = FATImage(kind: kind)
            make(&image)
            #expect(Self.refusal(image.bytes)?.code == code, "\(what)")
        }
    }

    @Test(arguments: [FATImage.Kind.fat16, .fat32])
    func brokenChainsAreRefused(kind: FATImage.Kind) {
        let bundle = Self.contents(3 * FATImage.sectorSize, seed: 4)
        // What the refusal says, to show each image is refused for the break it holds.
        let cases: [(String, (inout FATImage, Int) -> Void)] = [
            ("runs past", { image, first in image.setFAT(first + 2, first) }),  // a loop
            ("outside", { image, first in image.setFAT(first + 1, image.clusterCount + 2) }),
            ("outside", { image, first in image.setFAT(first, image.badCluster - 1) }),  // a reserved value
            ("outside", { image, first in image.setFAT(first, 1) }),
            ("marked free", { image, first in image.setFAT(first + 1, 0) }),
            ("marked bad", { image, first in image.setFAT(first, image.badCluster) }),
            ("ends after 2", { image, first in image.setFAT(first + 1, image.endOfChain) }),
        ]
        for (reason, breakChain) in cases {
            var image = FATImage(kind: kind)
            let first = image.addFile(longName: Self.bundleName, contents: bundle)
            breakChain(&image, first)
            let error = Self.refusal(image.bytes)
            #expect(error?.code == .badVolume, "\(reason)")
            #expect(error?.detail.contains(reason) == true, "\(reason): \(error?.detail ?? "read")")
        }
    }

    @Test func aFirstClusterOutsideTheVolumeIsRefused() {
        for first in [1, 4_200 + 2, 0xFFFF] {
            var image = FATImage(kind: .fat16)
            image.addFile(longName: Self.bundleName, contents: [1, 2, 3])
            image.set(image.rootOffset + 2 * 32 + 26, 2, first)
            #expect(Self.refusal(image.bytes)?.code == .badVolume, "\(first)")
        }
    }

    @Test func aSizeBeyondThePartitionOrTheCapIsRefused() {
        var beyond = FATImage(kind: .fat32)
        beyond.addFile(longName: Self.bundleName, contents: [1], size: (beyond.clusterCount + 1) * FATImage.sectorSize)
        #expect(Self.refusal(beyond.bytes)?.code == .badVolume)
        #expect(Self.refusal(beyond.bytes)?.detail.contains("do not fit") == true)
        var huge = FATImage(kind: .fat32)
        huge.addFile(longName: Self.bundleName, contents: [1], size: 0xFFFF_FFFF)
        #expect(Self.refusal(huge.bytes)?.code == .tooLarge)
    }

    // MARK: The root directory

    @Test func aFAT32RootChainThatLoopsIsRefused() {
        var image = FATImage(kind: .fat32)
        for index in 0..<(FATImage.sectorSize / 32) {  // a full first cluster: no end marker in it
            image.addFile(longName: nil, shortName: String(format: "FILE%04d   ", index), contents: [])
        }
        image.setFAT(2, 3)
        image.setFAT(3, 2)
        let third = image.clusterOffset(3)  // a second cluster of entries, then back to the first
        image.bytes.replaceSubrange(third..<third + FATImage.sectorSize, with: Array(repeating: 0x41, count: FATImage.sectorSize))
        let error = Self.refusal(image.bytes)
        #expect(error?.code == .badVolume)
        #expect(error?.detail.contains("loops back to cluster 2") == true)
    }

    @Test func aFAT32RootChainLongerThanADirectoryMayBeIsRefused() {
        // Every cluster chained to the next and full of entries: FAT's 65,536-entry limit stops the walk.
        var image = FATImage(kind: .fat32, clusterCount: 4_200)
        for cluster in 2..<(4_200 + 1) {
            image.setFAT(cluster, cluster + 1)
            let offset = image.clusterOffset(cluster)
            image.bytes.replaceSubrange(offset..<offset + FATImage.sectorSize, with: Array(repeating: 0xE5, count: FATImage.sectorSize))
        }
        let error = Self.refusal(image.bytes)
        #expect(error?.code == .badVolume)
        #expect(error?.detail.contains("never ends") == true)
    }

    @Test func aFAT16RootWithNoEndMarkerEndsAtItsRegion() {
        var image = FATImage(kind: .fat16)
        let offset = image.rootOffset
        image.bytes.replaceSubrange(offset..<offset + image.rootEntries * 32, with: Array(repeating: 0xE5, count: image.rootEntries * 32))
        #expect(Self.refusal(image.bytes)?.code == .noBundle)
    }

    // MARK: The boot sector

    @Test func brokenBootSectorsAreRefused() {
        let cases: [(String, (inout FATImage) -> Void)] = [
            ("huge sector size", { $0.set(11, 2, 8_192) }),
            ("sector size not a power of two", { $0.set(11, 2, 768) }),
            ("tiny sector size", { $0.set(11, 2, 256) }),
            ("sectors per cluster not a power of two", { $0.bytes[13] = 3 }),
            ("no sectors per cluster", { $0.bytes[13] = 0 }),
            ("huge clusters", { $0.set(11, 2, 4_096); $0.bytes[13] = 128 }),
            ("no reserved sectors", { $0.set(14, 2, 0) }),
            ("three FATs", { $0.bytes[16] = 3 }),
            ("no FAT", { $0.bytes[16] = 0 }),
            ("zero-size FAT32 FAT", { $0.set(36, 4, 0) }),
            ("FAT32 with fixed root entries", { $0.set(17, 2, 512) }),
            ("FAT32 version", { $0.set(42, 2, 1) }),
            ("zero sectors", { $0.set(32, 4, 0) }),
            ("more sectors than the device", { $0.set(32, 4, $0.bytes.count / FATImage.sectorSize + 1) }),
            ("FAT too small for the clusters", { $0.set(36, 4, 1) }),
            ("root cluster out of range", { $0.set(44, 4, 1_000_000) }),
            ("no jump", { $0.bytes[0] = 0 }),
            ("no signature", { $0.bytes[511] = 0 }),
            ("metadata past the end", { $0.set(14, 2, 0xFFFF) }),
        ]
        for (what, breakBoot) in cases {
            var image = FATImage(kind: .fat32)
            image.addFile(longName: Self.bundleName, contents: [1, 2, 3])
            breakBoot(&image)
            #expect(Self.refusal(image.bytes)?.code == .badVolume, "\(what)")
        }
    }

    @Test func aZeroSizeFAT16FATIsRefused() {
        var image = FATImage(kind: .fat16)
        image.addFile(longName: Self.bundleName, contents: [1, 2, 3])
        image.set(22, 2, 0)
        #expect(Self.refusal(image.bytes)?.code == .badVolume)
    }

    @Test func aPartitionTableInSectorZeroIsNamed() {
        var sector = [UInt8](repeating: 0, count: 4_096)
        sector[446] = 0x80
        sector[446 + 4] = 0x0C  // FAT32 LBA
        sector[510] = 0x55; sector[511] = 0xAA
        let error = Self.refusal(sector)
        #expect(error?.code == .badVolume)
        #expect(error?.detail.contains("partition table") == true)
        #expect(Self.refusal([UInt8](repeating: 0, count: 100))?.code == .badVolume)
    }

    @Test func aTruncatedImageIsRefused() {
        var image = FATImage(kind: .fat16)
        image.addFile(longName: Self.bundleName, contents: Self.contents(2_000, seed: 5))
        #expect(Self.refusal(Array(image.bytes.dropLast(FATImage.sectorSize)))?.code == .badVolume)
    }

    /// A long-name part numbered 0 after a complete name (ordinals count down to 1) is not part of the name:
    /// it once indexed before the name's buffer. The name stops matching, so the bundle is not found.
    @Test func aLongNamePartNumberedZeroIsNotPartOfTheName() throws {
        var image = FATImage(kind: .fat16)
        image.addFile(longName: Self.bundleName, contents: Self.contents(600, seed: 7))
        // Move the 8.3 entry one slot on and put a part numbered 0, checksum and all, between it and the name.
        let shortSlot = image.rootOffset + (image.nextRootSlot - 1) * 32
        let short = Array(image.bytes[shortSlot..<shortSlot + 32])
        var stray = Array(image.bytes[shortSlot - 32..<shortSlot])  // the name's part 1
        stray[0] = 0x20  // ordinal bits 0, not the last part; non-zero, so not the end-of-directory marker
        image.bytes.replaceSubrange(shortSlot..<shortSlot + 32, with: stray)
        image.addRootEntry(short)
        #expect(Self.refusal(image.bytes)?.code == .noBundle)
    }

    /// Random byte changes to valid images: each read ends in bytes or a refusal, never a crash or a hang.
    @Test(arguments: [FATImage.Kind.fat16, .fat32])
    func mutatedImagesNeverCrash(kind: FATImage.Kind) {
        var image = FATImage(kind: kind)
        let bundle = Self.contents(2_500, seed: 6)
        image.addFile(longName: Self.bundleName, contents: bundle)
        // The bytes that matter: boot sector, the start of the FATs, the root directory.
        let hot = Array(0..<512) + Array(image.reservedSectors * 512..<image.reservedSectors * 512 + 64) + Array(image.rootOffset..<image.rootOffset + 128)
        var random = SplitMix64(seed: 0xFA7)
        var outcomes: [String: Int] = [:]
        for _ in 0..<2_000 {
            var bytes = image.bytes
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[hot.randomElement(using: &random)!] = UInt8.random(in: 0...255, using: &random)
            }
            let outcome = Self.refusal(bytes).map { $0.code.description } ?? "read"
            outcomes[outcome, default: 0] += 1
        }
        #expect(outcomes.values.reduce(0, +) == 2_000)
        #expect(outcomes["bad-volume", default: 0] > 0)
    }

    /// The fuzzer's seeds are volumes the reader takes whole, so fuzzing starts deep in the chain code.
    @Test(arguments: ["fat12-tiny.img", "fat32-tiny.img"])
    func theFuzzSeedsAreReadableVolumes(name: String) throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz/Seeds/FATVolume")
        let bytes = Array(try Data(contentsOf: seeds.appendingPathComponent(name)))
        let volume = try FATVolume(InMemoryVolume(bytes), name: name)
        #expect(volume.kind.rawValue == (name.hasPrefix("fat12") ? "FAT12" : "FAT32"))
        #expect(try volume.readBundle().count == 700)
    }

    // MARK: Images made by the filesystem tools

    static let toolsAvailable = ["/usr/sbin/mkfs.vfat", "/sbin/mkfs.vfat"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/mcopy")

    @Test(.enabled(if: toolsAvailable, "needs dosfstools and mtools"), arguments: [12, 16, 32])
    func imagesFromMkfsAndMcopyAreRead(bits: Int) throws {
        let folder = try TemporaryDirectory()
        let bundle = Self.contents(100_000, seed: UInt64(bits))
        let bundlePath = try folder.write("bundle", bundle)
        let decoyPath = try folder.write("decoy", Self.contents(5_000, seed: 9))
        let image = folder.url.appendingPathComponent("stick.img").path
        let kilobytes = bits == 32 ? 40_000 : 16_384
        for arguments in [
            ["mkfs.vfat", "-C", "-F", "\(bits)", "-n", "GCTRUST", image, "\(kilobytes)"],
            ["mmd", "-i", image, "::/sub"],
            ["mcopy", "-i", image, decoyPath, "::/readme.txt"],
            ["mcopy", "-i", image, bundlePath, "::/sub/" + Self.bundleName],  // not at the root: never read
            ["mcopy", "-i", image, bundlePath, "::/" + Self.bundleName],
        ] {
            let result = try runProcess("/usr/bin/env", arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "MTOOLS_SKIP_CHECK": "1"])
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        let volume = try FATVolume(InMemoryVolume(Array(try Data(contentsOf: URL(fileURLWithPath: image)))), name: image)
        #expect(volume.kind.rawValue == "FAT\(bits)")
        #expect(try volume.readBundle() == bundle)
    }
}
