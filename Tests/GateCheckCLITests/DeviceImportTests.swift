import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustStore

/// `gatecheck trust import --device` against a real block device: a FAT image made with `mkfs.vfat` and
/// filled with `mcopy` (an ext4 one, for the symlink case, with `mkfs.ext4 -d`) on a loop device. The import
/// reads the volume in user space and mounts nothing. Runs where the tests are root and the kernel has loop
/// devices, as on CI; elsewhere it says why and skips.
/// Whether this machine can attach loop devices and make FAT and ext4 images (root, losetup, mkfs.vfat, mcopy, mkfs.ext4).
enum LoopDevices {
    static let usable: Bool = {
        let usable = getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/loop-control")
            && ["/usr/sbin/losetup", "/sbin/losetup"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && ["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && ["/usr/sbin/mkfs.vfat", "/sbin/mkfs.vfat"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/mcopy")
        if !usable { print("NOTICE: loop devices, dosfstools, mtools, e2fsprogs or root are not available: USB import tests are SKIPPED") }
        return usable
    }()
}

@Suite(.serialized, .enabled(if: LoopDevices.usable, "needs root, losetup, mkfs.ext4 and loop devices"))
struct DeviceImportTests {
    /// A root CA, a bundle signer under it, and a bundle holding one test DSC.
    struct Fixture {
        let folder: TemporaryDirectory
        let anchors: String
        let bundle: [UInt8]

        init(sequence: UInt64 = 1) throws {
            folder = try TemporaryDirectory()
            let now = Date()
            let authority = try TestCertificateAuthority(commonName: "Test Anchor")
            let root = authority.certificate
            let (signerKey, signer) = try authority.issueSigner(commonName: "Test Bundle Signer")
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("anchors"), withIntermediateDirectories: true)
            anchors = folder.url.appendingPathComponent("anchors").path
            _ = try folder.write("anchors/root.pem", Self.pem(root))
            var builder = TrustBundleBuilder(sequence: sequence, issuedAt: now, notAfter: now.addingTimeInterval(86_400 * 30), producer: "test")
            builder.signers = [try TestIssuer().signer]
            bundle = try builder.build(signingKey: signerKey, certificate: signer)
        }

        static func pem(_ certificate: Certificate) -> String { TestCertificateAuthority.pem(certificate) }

        /// A FAT image labelled GCTRUST whose root holds `files` (name → bytes), made by dosfstools and mtools, on a loop device.
        func stick(files: [String: [UInt8]]) throws -> (device: String, detach: () -> Void) {
            let image = folder.url.appendingPathComponent("stick-\(UUID().uuidString).img").path
            try Self.shell(["mkfs.vfat", "-C", "-n", "GCTRUST", image, "16384"])
            for (name, bytes) in files {
                let source = folder.url.appendingPathComponent("file-\(UUID().uuidString)")
                try Data(bytes).write(to: source)
                try Self.shell(["mcopy", "-i", image, source.path, "::/" + name])
            }
            return try Self.attach(image)
        }

        /// An ext4 image whose root holds `links` (name → target), made with `mkfs.ext4 -d`, on a loop device.
        func ext4Stick(links: [String: String]) throws -> (device: String, detach: () -> Void) {
            let content = folder.url.appendingPathComponent("stick-content-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
            for (name, target) in links {
                try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent(name).path, withDestinationPath: target)
            }
            let image = folder.url.appendingPathComponent("stick-\(UUID().uuidString).img").path
            try Self.shell(["mkfs.ext4", "-q", "-F", "-L", "GCTRUST", "-d", content.path, image, "16M"])
            return try Self.attach(image)
        }

        static func attach(_ image: String) throws -> (device: String, detach: () -> Void) {
            let device = try shell(["losetup", "-f", "--show", image]).trimmingCharacters(in: .whitespacesAndNewlines)
            return (device, { _ = try? shell(["losetup", "-d", device]) })
        }

        @discardableResult
        static func shell(_ arguments: [String]) throws -> String {
            let result = try runProcess("/usr/bin/env", arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "MTOOLS_SKIP_CHECK": "1"])
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
            return result.standardOutput
        }
    }

    static func mounts() -> String { (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? "" }

    @Test func bundleOnAStickInstallsAndNothingStaysMounted() throws {
        let fixture = try Fixture()
        let stick = try fixture.stick(files: [RemovableVolume.bundleFileName: fixture.bundle])
        defer { stick.detach() }
        let state = fixture.folder.url.appendingPathComponent("state").path
        let result = try GateCheckCLI.run(["trust", "import", "--state-dir", state, "--anchors", fixture.anchors, "--device", stick.device])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try TrustStoreDirectory(path: state).load(anchors: TrustAnchors.load(directory: fixture.anchors)).manifest.sequence == 1)
        #expect(!Self.mounts().contains(stick.device))
    }

    @Test func hostileSticksAreRefusedAndTheStoreStays() throws {
        let fixture = try Fixture()
        let state = fixture.folder.url.appendingPathComponent("state").path
        let decoy = fixture.folder.url.appendingPathComponent("decoy.bundle").path
        try Data(fixture.bundle).write(to: URL(fileURLWithPath: decoy))
        var tampered = fixture.bundle
        tampered[tampered.count / 2] ^= 0x01
        let sticks: [(String, () throws -> (device: String, detach: () -> Void))] = [
            ("bad-volume", { try fixture.ext4Stick(links: [RemovableVolume.bundleFileName: decoy]) }),  // a symlink, off the stick, on ext4
            ("no-bundle", { try fixture.stick(files: ["other-name.bundle": fixture.bundle]) }),  // the bundle under another name
            ("malformed", { try fixture.stick(files: [RemovableVolume.bundleFileName: Array(fixture.bundle.dropLast(1))]) }),  // truncated
            ("", { try fixture.stick(files: [RemovableVolume.bundleFileName: tampered]) }),  // one bit changed
        ]
        for (code, make) in sticks {
            let stick = try make()
            defer { stick.detach() }
            let result = try GateCheckCLI.run(["trust", "import", "--state-dir", state, "--anchors", fixture.anchors, "--device", stick.device])
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("refused"), "\(result.standardError)")
            if !code.isEmpty { #expect(result.standardError.contains("(\(code))"), "\(result.standardError)") }
            #expect(!FileManager.default.fileExists(atPath: state + "/trust.bundle"))
            #expect(!Self.mounts().contains(stick.device))
        }
    }

    @Test func aRegularFileIsNotADevice() throws {
        let fixture = try Fixture()
        let file = fixture.folder.url.appendingPathComponent("not-a-device").path
        try Data(fixture.bundle).write(to: URL(fileURLWithPath: file))
        let result = try GateCheckCLI.run(["trust", "import", "--state-dir", fixture.folder.url.appendingPathComponent("s").path,
                                           "--anchors", fixture.anchors, "--device", file])
        #expect(result.status == 1)
        #expect(result.standardError.contains("not a block device"))
    }
}
