import Foundation
import Frames
import GateCheckTestSupport
import Imaging
import QREncoding
import Testing
@testable import V4L2Capture

@Suite("Snapshots and the open/run/close helper")
struct V4L2SnapshotTests {
    static let width = 320
    static let height = 240

    /// A camera of `width × height` on `fake`, with `settings` applied at open as gatecheckd applies them.
    static func camera(_ fake: FakeV4L2Device, settings: V4L2CameraSettings) -> V4L2Camera {
        V4L2Camera(
            configuration: .init(path: "/dev/fake-camera", width: width, height: height, settings: settings), device: fake,
            sleep: { _ in })
    }

    @Test func theSnapshotIsTheFrameAfterTheWarmUpWithTheSettingsApplied() throws {
        let fake = FakeV4L2Device()
        fake.controls = uvcLikeControls()
        let frames = (0..<8).map { FakeV4L2Device.FakeFrame(bytes: [UInt8](repeating: UInt8($0 * 10), count: Self.width * Self.height)) }
        fake.steps = frames.map { .ready([$0]) }
        let camera = Self.camera(fake, settings: V4L2CameraSettings(gain: 40))
        let snapshot = try #require(try camera.snapshot(afterWarmUp: 5))
        camera.close()
        #expect(snapshot.image.pixels == frames[5].bytes)
        #expect(fake.controlWrites.map(\.id) == [V4L2ControlID.gain] && fake.controlWrites.map(\.value) == [40])
        expectNoLeaks(fake)
    }

    /// A fake camera's frame showing a code, saved as the command saves it: zbarimg and `gatecheck scan` read it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg"), "needs zbarimg (zbar-tools)"))
    func aSnapshotOfACodeReadsBack() throws {
        let payload = "HC1:SNAPSHOT-\(UInt32.random(in: 0...UInt32.max))"
        let code = try #require(
            QRCodeImage.image(Array(payload.utf8), moduleSize: 4, canvasWidth: Self.width, canvasHeight: Self.height))
        #expect(code.width == Self.width && code.height == Self.height)
        let fake = FakeV4L2Device()
        fake.steps = Array(repeating: .ready([.init(bytes: code.pixels)]), count: 3)
        let camera = Self.camera(fake, settings: V4L2CameraSettings())
        let snapshot = try #require(try camera.snapshot(afterWarmUp: 2))
        camera.close()
        let directory = try TemporaryDirectory("snapshot")
        let path = directory.file("snapshot.png")
        try ImageFile.createPNG(snapshot.image, atPath: path)
        let zbar = try runProcess("/usr/bin/zbarimg", ["-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", path])
        #expect(zbar.standardOutput.trimmingCharacters(in: .newlines) == payload)
        if let gatecheck = builtExecutable("gatecheck") {
            #expect(try runProcess(gatecheck, ["scan", path]).lines == [payload])
        }
    }

    @Test func withOpenDeviceClosesWhateverTheBodyDoes() throws {
        let fake = FakeV4L2Device()
        #expect(try V4L2Camera.withOpenDevice(path: "/dev/video7", device: fake) { () throws(V4L2DeviceError) in 42 } == 42)
        #expect(fake.openedPaths == ["/dev/video7"] && fake.closeCount == 1)
        #expect(throws: V4L2DeviceError.self) {
            try V4L2Camera.withOpenDevice(path: "/dev/video7", device: fake) { () throws(V4L2DeviceError) -> Int in
                throw V4L2DeviceError(call: "VIDIOC_QUERYCAP", errno: 5)
            }
        }
        #expect(fake.closeCount == 2 && !fake.isOpen)
        fake.openResults = [2]
        #expect(throws: V4L2DeviceError.self) {
            try V4L2Camera.withOpenDevice(path: "/dev/missing", device: fake) { () throws(V4L2DeviceError) in 1 }
        }
        #expect(fake.closeCount == 2)
        expectNoLeaks(fake)
    }
}
