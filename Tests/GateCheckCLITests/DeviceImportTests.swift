import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustStore

/// `gatecheck trust import --device` against a real block device: an ext4 image on a loop device,
/// made with `mkfs.ext4 -d` (no mount needed to fill it). Runs where the tests are root and the
/// kernel has loop devices and ext4, as on CI; elsewhere it says why and skips.
/// Whether this machine can attach loop devices and make ext4 images (root, losetup, mkfs.ext4).
enum LoopDevices {
    static let usable: Bool = {
        let usable = getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/loop-control")
            && ["/usr/sbin/losetup", "/sbin/losetup"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && ["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && ((try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("ext4") ?? false)
        if !usable { print("NOTICE: loop devices, ext4 or root are not available: USB import tests are SKIPPED") }
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

        /// An ext4 image whose root holds `files` (name → bytes) and `links` (name → target), attached to a loop device.
        func stick(files: [String: [UInt8]], links: [String: String] = [:]) throws -> (device: String, detach: () -> Void) {
            let content = folder.url.appendingPathComponent("stick-content-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
            for (name, bytes) in files { try Data(bytes).write(to: content.appendingPathComponent(name)) }
            for (name, target) in links {
                try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent(name).path, withDestinationPath: target)
            }
            let image = folder.url.appendingPathComponent("stick-\(UUID().uuidString).img").path
            try Self.shell(["mkfs.ext4", "-q", "-F", "-L", "GCTRUST", "-d", content.path, image, "16M"])
            let device = try Self.shell(["losetup", "-f", "--show", image]).trimmingCharacters(in: .whitespacesAndNewlines)
            return (device, { _ = try? Self.shell(["losetup", "-d", device]) })
        }

        @discardableResult
        static func shell(_ arguments: [String]) throws -> String {
            let result = try runProcess("/usr/bin/env", arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
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
        #expect(!Self.mounts().contains("gatecheck-volume"))
    }

    @Test func hostileSticksAreRefusedAndTheStoreStays() throws {
        let fixture = try Fixture()
        let state = fixture.folder.url.appendingPathComponent("state").path
        let decoy = fixture.folder.url.appendingPathComponent("decoy.bundle").path
        try Data(fixture.bundle).write(to: URL(fileURLWithPath: decoy))
        for (files, links) in [
            ([String: [UInt8]](), [RemovableVolume.bundleFileName: decoy]),  // a symlink at the root, pointing off the stick
            (["other-name.bundle": fixture.bundle], [:]),  // the bundle under another name
            ([RemovableVolume.bundleFileName: Array(fixture.bundle.dropLast(1))], [:]),  // truncated
        ] as [([String: [UInt8]], [String: String])] {
            let stick = try fixture.stick(files: files, links: links)
            defer { stick.detach() }
            let result = try GateCheckCLI.run(["trust", "import", "--state-dir", state, "--anchors", fixture.anchors, "--device", stick.device])
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("refused"))
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
