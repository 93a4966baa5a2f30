import Frames
import Imaging
import Testing
import V4L2Capture

/// Buffers a camera hands back broken: empty (`bytesused` 0), shorter than the plane, claiming more than the
/// buffer holds, or flagged `V4L2_BUF_FLAG_ERROR`. Each is requeued and counted, never delivered: a stale buffer
/// (an empty one still holds an older frame) must neither be scanned again nor count as a live frame.
@Suite("Camera buffer faults")
struct CameraBufferFaultTests {
    static let plane = testWidth * testHeight

    static func frame(_ value: UInt8, bytesUsed: Int? = nil, isError: Bool = false) -> FakeV4L2Device.FakeFrame {
        FakeV4L2Device.FakeFrame(bytes: [UInt8](repeating: value, count: plane), isError: isError, bytesUsed: bytesUsed)
    }

    @Test(arguments: [
        ("bytesused 0", CameraBufferFaultTests.frame(7, bytesUsed: 0)),
        ("one byte short", CameraBufferFaultTests.frame(7, bytesUsed: CameraBufferFaultTests.plane - 1)),
        ("one byte", CameraBufferFaultTests.frame(7, bytesUsed: 1)),
        ("larger than the buffer", CameraBufferFaultTests.frame(7, bytesUsed: CameraBufferFaultTests.plane * 64)),
        ("flagged ERROR", CameraBufferFaultTests.frame(7, isError: true)),
        ("flagged ERROR and empty", CameraBufferFaultTests.frame(7, bytesUsed: 0, isError: true)),
    ])
    func aBrokenBufferIsSkippedCountedAndRequeued(_ name: String, _ broken: FakeV4L2Device.FakeFrame) throws {
        let fake = FakeV4L2Device()
        // The broken buffer holds pixels (7): delivered, they would be scanned as if the camera had seen them.
        fake.steps = [.ready([Self.frame(1)]), .ready([broken]), .ready([Self.frame(3)])]
        let camera = makeCamera(fake)
        let first = try #require(try camera.nextFrame())
        #expect(first.image.pixels.allSatisfy { $0 == 1 })
        let next = try #require(try camera.nextFrame(), "\(name)")
        #expect(next.image.pixels.allSatisfy { $0 == 3 }, "\(name): the broken buffer was delivered")
        #expect(next.sequence == 2, "\(name): a skipped buffer is not a frame")
        #expect(camera.statistics.errorFramesSkipped == 1, "\(name)")
        #expect(camera.statistics.framesDelivered == 2)
        #expect(fake.buffersHeldByCaller.isEmpty, "\(name): requeued")
        camera.close()
        expectNoLeaks(fake)
    }

    /// Only broken buffers: no frame at all within the poll timeout (the daemon's watchdog then starves and the
    /// camera is reopened after a few timeouts), and the camera keeps going once good frames come back.
    @Test func aCameraDeliveringOnlyBrokenBuffersTimesOutAndRecovers() throws {
        let fake = FakeV4L2Device()
        let broken = [
            Self.frame(5, bytesUsed: 0), Self.frame(5, bytesUsed: 3), Self.frame(5, bytesUsed: Self.plane + 1), Self.frame(5, isError: true),
        ]
        fake.steps = broken.map { .ready([$0]) } + [.timeout]
        let camera = makeCamera(fake)
        #expect(thrownCode(camera) == .timeout)
        #expect(camera.statistics.framesDelivered == 0)
        #expect(camera.statistics.errorFramesSkipped == broken.count)
        #expect(fake.buffersHeldByCaller.isEmpty)

        fake.steps = [.ready([Self.frame(9)])]
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 9 })
        camera.close()
        expectNoLeaks(fake)
    }
}
