import Foundation
import GateCheckTestSupport
import Testing

/// `gatecheck camera aim` and `camera snapshot` without a camera: what they refuse, and how. Their work on a
/// camera is tested with the fake device (V4L2CaptureTests, ScanPipelineTests) and on vivid (the system tier).
@Suite("camera aim and snapshot")
struct CameraCommandTests {
    @Test func snapshotRefusesAnExistingFileBeforeOpeningTheCamera() throws {
        let folder = try TemporaryDirectory("camera-snapshot")
        let existing = try folder.write("frame.png", "an earlier snapshot")
        let result = try GateCheckCLI.run(["camera", "snapshot", "--device", folder.file("no-camera"), existing])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError == "camera snapshot: \(existing) exists already; give a new file name (nothing is overwritten)\n")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "an earlier snapshot")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func snapshotOfAMissingCameraWritesNothing() throws {
        let folder = try TemporaryDirectory("camera-snapshot")
        let result = try GateCheckCLI.run(["camera", "snapshot", "--device", folder.file("no-camera"), folder.file("new.png")])
        #expect(result.status == 2)
        #expect(result.standardError.contains("cannot open the camera \(folder.file("no-camera"))"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("new.png")))
    }

    @Test(arguments: [
        (["--seconds", "2", "--frames", "10"], "give --seconds or --frames, not both"),
        (["--seconds", "0"], "--seconds must be at least 1"),
        (["--frames", "0"], "--frames must be at least 1"),
    ])
    func aimRefusesBadLimits(arguments: [String], message: String) throws {
        let result = try GateCheckCLI.run(["camera", "aim", "--device", "/dev/null"] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func scanTakesConfigOnlyWithDevice() throws {
        let result = try GateCheckCLI.run(["scan", "--config", "/etc/gatecheck/gatecheck.conf", "image.png"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--config applies to --device only"), "\(result.standardError)")
    }

    @Test func theCameraCommandListsItsSubcommands() throws {
        let help = try GateCheckCLI.run(["camera", "--help"]).standardOutput
        for name in ["list", "aim", "snapshot"] { #expect(help.contains("  \(name) "), "\(help)") }
    }
}
