import Frames
import GateCheckTestSupport
import Testing
import V4L2Capture

import Glibc

extension TemporaryDirectory {
    func touch(_ name: String) throws {
        let fd = open(path + "/" + name, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        #expect(close(fd) == 0)
    }
}

@Suite("Device listing")
struct V4L2ListingTests {
    @Test func listsCaptureNodesInOrderWithFormatsSizesAndRates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for name in ["video10", "video0", "video1", "video2", "videoX", "media0"] { try directory.touch(name) }
        let fake = FakeV4L2Device()
        fake.metadataNodes = [directory.path + "/video1"]
        fake.formats = [
            V4L2FormatDescription(pixelFormat: .mjpeg, description: "Motion-JPEG", isCompressed: true),
            V4L2FormatDescription(pixelFormat: .yuyv, description: "YUYV 4:2:2"),
        ]
        fake.frameSizes = [
            .mjpeg: [.discrete(width: 1280, height: 720), .discrete(width: 640, height: 480)],
            .yuyv: [
                .stepwise(minWidth: 16, maxWidth: 1920, stepWidth: 2, minHeight: 16, maxHeight: 1080, stepHeight: 2)
            ],
        ]
        fake.frameIntervals = [.discrete(numerator: 1, denominator: 30), .discrete(numerator: 1, denominator: 15)]

        let list = try V4L2Camera.listDevices(in: directory.path, device: fake)
        #expect(list.devices.map(\.path) == ["video0", "video2", "video10"].map { directory.path + "/" + $0 })
        #expect(list.skipped.map(\.path) == [directory.path + "/video1"])
        let first = try #require(list.devices.first)
        #expect(first.capabilities.card == "Fake Camera")
        #expect(first.formats.map(\.description.pixelFormat) == [.mjpeg, .yuyv])
        #expect(first.formats[0].sizes.map(\.size.description) == ["1280x720", "640x480"])
        #expect(first.formats[0].sizes[0].intervals.map(\.description) == ["30", "15"])
        #expect(first.formats[1].sizes[0].size.description == "16x16-1920x1080 step 2x2")
        #expect(first.formatPreference == [.yuyv, .yu12])
        #expect(fake.openedPaths.count == 4 && fake.closeCount == 4)
        #expect(fake.violations.isEmpty)
    }

    @Test func realDeviceOnAnEmptyDirectoryListsNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let list = try V4L2Camera.listDevices(in: directory.path)
        #expect(list.devices.isEmpty && list.skipped.isEmpty)
    }

    @Test func realDeviceSkipsNodesThatAreNotCameras() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.touch("video0")  // a regular file
        let list = try V4L2Camera.listDevices(in: directory.path)
        #expect(list.devices.isEmpty)
        #expect(list.skipped.count == 1)
    }

    @Test func missingDirectoryIsAnIOFailure() {
        #expect(throws: FrameSourceError(.ioFailure, "")) {
            try V4L2Camera.listDevices(in: "/nonexistent-gatecheck-dir")
        }
    }

    @Test func realDeviceRefusesPathsThatAreNotCameras() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.touch("regular")
        let missing = V4L2Camera(configuration: .init(path: directory.path + "/absent"), sleep: { _ in })
        #expect(thrownCode(missing) == .deviceLost)  // an unplugged camera's symlink is absent
        let regular = V4L2Camera(configuration: .init(path: directory.path + "/regular"), sleep: { _ in })
        #expect(thrownCode(regular) == .notACamera)
        let characterDevice = V4L2Camera(configuration: .init(path: "/dev/null"), sleep: { _ in })
        #expect(thrownCode(characterDevice) == .notACamera)  // QUERYCAP: ENOTTY
    }
}
