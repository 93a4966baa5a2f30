import Frames
import Imaging
import SystemCalls
import Testing
import V4L2Capture

import Glibc

/// Records the reconnect backoff instead of sleeping.
final class SleepRecorder {
    var sleeps: [Double] = []
    func sleep(_ seconds: Double) { sleeps.append(seconds) }
}

/// Frame geometry used throughout: tiny frames keep the expected bytes readable.
let testWidth = 8
let testHeight = 4

func makeCamera(_ fake: FakeV4L2Device, recorder: SleepRecorder = SleepRecorder(), timeoutsBeforeReopen: Int = 3)
    -> V4L2Camera
{
    let configuration = V4L2Camera.Configuration(
        path: "/dev/fake-camera", width: testWidth, height: testHeight,
        pollTimeoutMilliseconds: 2000, timeoutsBeforeReopen: timeoutsBeforeReopen
    )
    return V4L2Camera(configuration: configuration, device: fake, sleep: recorder.sleep)
}

/// A GREY frame whose pixels all equal `value` (tightly packed).
func greyFrame(_ value: UInt8, isError: Bool = false) -> FakeV4L2Device.FakeFrame {
    FakeV4L2Device.FakeFrame(bytes: [UInt8](repeating: value, count: testWidth * testHeight), isError: isError)
}

/// The code a nextFrame call throws, or nil when it returned a frame.
func thrownCode(_ camera: V4L2Camera) -> FrameSourceError.Code? {
    do {
        _ = try camera.nextFrame()
        return nil
    } catch {
        return error.code
    }
}

/// After the camera is closed: every fd closed, every buffer unmapped, no protocol violation.
func expectNoLeaks(_ fake: FakeV4L2Device, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!fake.isOpen, "fd left open", sourceLocation: sourceLocation)
    #expect(fake.openedPaths.count == fake.closeCount, "opens and closes differ", sourceLocation: sourceLocation)
    #expect(fake.mappedBufferCount == 0, "buffers left mapped", sourceLocation: sourceLocation)
    #expect(fake.mapCount == fake.unmapCount, "mmap/munmap counts differ", sourceLocation: sourceLocation)
    #expect(fake.violations.isEmpty, "\(fake.violations)", sourceLocation: sourceLocation)
}

@Suite("Format negotiation")
struct FormatNegotiationTests {
    @Test func preferenceOrder() {
        func fmt(_ code: V4L2FourCC, emulated: Bool = false) -> V4L2FormatDescription {
            V4L2FormatDescription(pixelFormat: code, description: "\(code)", isEmulated: emulated)
        }
        let rgb3 = V4L2FourCC("RGB3")!
        #expect(V4L2Camera.formatPreference(for: [fmt(.mjpeg), fmt(.yuyv), fmt(.grey)]) == [.grey, .yuyv, .yu12])
        #expect(
            V4L2Camera.formatPreference(for: [fmt(.mjpeg), fmt(.yu12), fmt(.nv12), fmt(.yuyv)]) == [
                .yuyv, .nv12, .yu12,
            ])
        #expect(
            V4L2Camera.formatPreference(for: [fmt(.mjpeg), fmt(.yu12, emulated: true), fmt(rgb3, emulated: true)]) == [
                .yu12
            ])
        #expect(V4L2Camera.formatPreference(for: [fmt(.jpeg)]) == [.yu12])
        #expect(V4L2Camera.formatPreference(for: [fmt(rgb3), fmt(.grey, emulated: true)]).isEmpty)
        #expect(V4L2FourCC.grey.description == "GREY" && V4L2FourCC.mjpeg.description == "MJPG")
        #expect(V4L2FourCC("YUYV") == .yuyv && V4L2FourCC("YU12") == .yu12 && V4L2FourCC("NV12") == .nv12)
    }

    @Test func greyIsPreferred() throws {
        let fake = FakeV4L2Device()
        fake.formats = [
            V4L2FormatDescription(pixelFormat: .yuyv, description: "YUYV 4:2:2"),
            V4L2FormatDescription(pixelFormat: .mjpeg, description: "Motion-JPEG", isCompressed: true),
            V4L2FormatDescription(pixelFormat: .grey, description: "8-bit Greyscale"),
        ]
        fake.steps = [.ready([greyFrame(42)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(fake.requestedFormats == [.grey])
        #expect(camera.format?.pixelFormat == .grey)
        #expect(camera.description == "/dev/fake-camera 8x4 GREY")
        #expect(frame.image.width == testWidth && frame.image.height == testHeight)
        #expect(frame.image.pixels.allSatisfy { $0 == 42 })
        #expect(fake.openedPaths == ["/dev/fake-camera"])
        #expect(fake.requestedFormats.count == 1 && fake.streamOnCount == 1 && fake.mapCount == 4)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func yuyvWithPaddedStrideTakesEveryOtherByte() throws {
        let fake = FakeV4L2Device()
        fake.formats = [
            V4L2FormatDescription(pixelFormat: .mjpeg, description: "Motion-JPEG", isCompressed: true),
            V4L2FormatDescription(pixelFormat: .yuyv, description: "YUYV 4:2:2"),
        ]
        let stride = testWidth * 2 + 6  // bytesperline > width * 2
        fake.negotiate = { request in
            V4L2NegotiatedFormat(
                pixelFormat: request.pixelFormat, width: request.width, height: request.height,
                bytesPerLine: stride, sizeImage: stride * request.height
            )
        }
        var bytes = [UInt8](repeating: 0xEE, count: stride * testHeight)  // padding marked 0xEE
        for row in 0..<testHeight {
            for column in 0..<testWidth {
                bytes[row * stride + 2 * column] = UInt8(row * 16 + column)  // Y
                bytes[row * stride + 2 * column + 1] = 0x80  // U or V
            }
        }
        fake.steps = [.ready([FakeV4L2Device.FakeFrame(bytes: bytes)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(fake.requestedFormats == [.yuyv])
        #expect(frame.image.width == testWidth && frame.image.bytesPerRow == testWidth)
        let expected = (0..<testHeight).flatMap { row in (0..<testWidth).map { UInt8(row * 16 + $0) } }
        #expect(frame.image.pixels == expected)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func greyStrideIsKeptAsBytesPerRow() throws {
        let fake = FakeV4L2Device()
        let stride = testWidth + 8
        fake.negotiate = { request in
            V4L2NegotiatedFormat(
                pixelFormat: request.pixelFormat, width: request.width, height: request.height,
                bytesPerLine: stride, sizeImage: stride * request.height
            )
        }
        let bytes = (0..<(stride * testHeight)).map { UInt8($0 % 256) }
        fake.steps = [.ready([FakeV4L2Device.FakeFrame(bytes: bytes)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.bytesPerRow == stride)
        #expect(Array(frame.image.pixels.prefix(stride * testHeight)) == bytes)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func mjpegOnlyCameraGetsConvertedYU12() throws {
        let fake = FakeV4L2Device()
        fake.formats = [
            V4L2FormatDescription(pixelFormat: .mjpeg, description: "Motion-JPEG", isCompressed: true),
            V4L2FormatDescription(pixelFormat: .yu12, description: "Planar YUV 4:2:0", isEmulated: true),
        ]
        let yPlane = (0..<(testWidth * testHeight)).map { UInt8($0) }
        let chroma = [UInt8](repeating: 0x80, count: testWidth * testHeight / 2)
        fake.steps = [.ready([FakeV4L2Device.FakeFrame(bytes: yPlane + chroma)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(fake.requestedFormats == [.yu12])
        #expect(camera.description == "/dev/fake-camera 8x4 YU12 (converted by libv4lconvert)")
        #expect(frame.image.pixels == yPlane)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func substitutedFormatIsRejectedAndTheNextTried() throws {
        let fake = FakeV4L2Device()
        fake.formats = [
            V4L2FormatDescription(pixelFormat: .grey, description: "8-bit Greyscale"),
            V4L2FormatDescription(pixelFormat: .nv12, description: "Y/CbCr 4:2:0"),
        ]
        let fallback = fake.negotiate
        fake.negotiate = { request in
            // A driver that lists GREY but answers S_FMT(GREY) with NV12.
            fallback(V4L2FormatRequest(pixelFormat: .nv12, width: request.width, height: request.height))
        }
        let yPlane = [UInt8](repeating: 7, count: testWidth * testHeight)
        fake.steps = [.ready([FakeV4L2Device.FakeFrame(bytes: yPlane + [UInt8](repeating: 0x80, count: 16))])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(fake.requestedFormats == [.grey, .nv12])
        #expect(camera.format?.pixelFormat == .nv12)
        #expect(frame.image.pixels == yPlane)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func noUsableFormat() {
        let fake = FakeV4L2Device()
        fake.formats = [V4L2FormatDescription(pixelFormat: V4L2FourCC("RGB3")!, description: "RGB")]
        let camera = makeCamera(fake)
        #expect(thrownCode(camera) == .noUsableFormat)
        #expect(fake.requestedFormats.isEmpty)
        expectNoLeaks(fake)
    }

    @Test func notACaptureDevice() {
        let fake = FakeV4L2Device()
        fake.capabilities.deviceCapabilities = V4L2Capabilities.videoCaptureBit  // no streaming I/O
        let camera = makeCamera(fake)
        #expect(thrownCode(camera) == .notACamera)
        expectNoLeaks(fake)
    }

    @Test func bufferCounts() throws {
        let fake = FakeV4L2Device()
        fake.grantedBuffers = 3
        fake.steps = [.ready([greyFrame(1)])]
        let camera = makeCamera(fake)
        _ = try camera.nextFrame()
        #expect(fake.mapCount == 3)
        camera.close()
        expectNoLeaks(fake)

        let starved = FakeV4L2Device()
        starved.grantedBuffers = 1
        let refused = makeCamera(starved)
        #expect(thrownCode(refused) == .ioFailure)
        #expect(starved.mapCount == 0)
        expectNoLeaks(starved)
    }
}

@Suite("Streaming")
struct StreamingTests {
    @Test func eagainThenFrame() throws {
        let fake = FakeV4L2Device()
        fake.steps = [.spuriousWakeup, .spuriousWakeup, .ready([greyFrame(9)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 9 })
        #expect(frame.sequence == 1)
        #expect(frame.captured == MonotonicInstant(nanoseconds: 1_033_000_000))
        #expect(fake.buffersHeldByCaller.isEmpty)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func errorFlaggedFramesAreSkippedAndRequeued() throws {
        let fake = FakeV4L2Device()
        fake.steps = [
            .ready([greyFrame(1, isError: true)]),
            .ready([greyFrame(2, isError: true), greyFrame(3)]),
            .ready([FakeV4L2Device.FakeFrame(bytes: [4, 4, 4])]),  // short frame: bytesused below the plane
            .ready([greyFrame(5)]),
        ]
        let camera = makeCamera(fake)
        let first = try #require(try camera.nextFrame())
        #expect(first.image.pixels.allSatisfy { $0 == 3 })
        #expect(fake.buffersHeldByCaller.isEmpty)
        let second = try #require(try camera.nextFrame())
        #expect(second.image.pixels.allSatisfy { $0 == 5 })
        #expect(camera.statistics.errorFramesSkipped == 3)
        #expect(camera.statistics.framesDelivered == 2)
        #expect(fake.dequeueCount == 5)
        #expect(fake.buffersHeldByCaller.isEmpty)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func pollTimeoutThrowsTimeoutThenReopensAfterSeveral() throws {
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.steps = [.timeout, .ready([greyFrame(1)]), .timeout, .timeout, .timeout, .ready([greyFrame(2)])]
        let camera = makeCamera(fake, recorder: recorder, timeoutsBeforeReopen: 3)
        #expect(thrownCode(camera) == .timeout)
        #expect(fake.isOpen)  // one timeout: keep streaming
        #expect(try camera.nextFrame() != nil)
        #expect(thrownCode(camera) == .timeout)
        #expect(thrownCode(camera) == .timeout)
        #expect(fake.isOpen)
        #expect(thrownCode(camera) == .timeout)  // third in a row: the stalled camera is closed
        #expect(!fake.isOpen && fake.mappedBufferCount == 0)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 2 })
        #expect(recorder.sleeps == [0.5])
        #expect(fake.openedPaths.count == 2)
        #expect(camera.statistics.timeouts == 4)
        camera.close()
        expectNoLeaks(fake)
    }

    /// Measured on vivid: libv4l2 prints "error dequeuing buf: Resource temporarily unavailable" for every DQBUF
    /// that finds nothing, so draining into EAGAIN wrote a line per frame to the journal.
    @Test func drainingAsksBeforeEachDequeueSoItNeverHitsEAGAIN() throws {
        let fake = FakeV4L2Device()
        fake.steps = [.ready([greyFrame(1), greyFrame(2)]), .ready([greyFrame(3)]), .ready([greyFrame(4), greyFrame(5), greyFrame(6)])]
        let camera = makeCamera(fake)
        for expected: UInt8 in [2, 3, 6] {
            let frame = try #require(try camera.nextFrame())
            #expect(frame.image.pixels.allSatisfy { $0 == expected })
        }
        #expect(fake.emptyDequeues == 0, "no DQBUF ran into an empty queue")
        #expect(fake.zeroTimeoutPolls >= 3, "readiness was asked between dequeues")
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func newestOfSeveralReadyFramesIsDelivered() throws {
        let fake = FakeV4L2Device()
        fake.steps = [.ready([greyFrame(1), greyFrame(2), greyFrame(3)]), .ready([greyFrame(4)])]
        let camera = makeCamera(fake)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 3 })
        #expect(frame.sequence == 3)  // gaps in the sequence show the drops
        #expect(camera.framesDropped == 2)
        #expect(fake.buffersHeldByCaller.isEmpty)
        let next = try #require(try camera.nextFrame())
        #expect(next.sequence == 4 && next.image.pixels.allSatisfy { $0 == 4 })
        #expect(camera.statistics.framesDropped == 2 && camera.statistics.framesDelivered == 2)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func allBuffersReadyKeepsTheQueueFull() throws {
        let fake = FakeV4L2Device()
        fake.steps = (0..<5).map { round in .ready((0..<4).map { greyFrame(UInt8(round * 4 + $0)) }) }
        let camera = makeCamera(fake)
        for round in 0..<5 {
            let frame = try #require(try camera.nextFrame())
            #expect(frame.image.pixels.allSatisfy { $0 == UInt8(round * 4 + 3) })
            #expect(fake.buffersHeldByCaller.isEmpty)
        }
        #expect(camera.framesDropped == 15)
        camera.close()
        expectNoLeaks(fake)
    }
}

@Suite("Disconnect and reconnect")
struct ReconnectTests {
    @Test func enodevMidStreamThenDeviceReappears() throws {
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.steps = [.ready([greyFrame(1)]), .dequeueFails(ENODEV), .ready([greyFrame(2)])]
        let camera = makeCamera(fake, recorder: recorder)
        #expect(try camera.nextFrame() != nil)

        fake.openResults = [ENOENT, ENOENT]  // the node is gone for two attempts, then back
        #expect(thrownCode(camera) == .deviceLost)
        #expect(!fake.isOpen && fake.mappedBufferCount == 0 && fake.streamOffCount == 1)
        #expect(recorder.sleeps.isEmpty)
        #expect(camera.statistics.releaseFailures == 1)  // STREAMOFF failed with ENODEV; munmap and close still ran

        #expect(thrownCode(camera) == .deviceLost)
        #expect(thrownCode(camera) == .deviceLost)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 2 })
        #expect(recorder.sleeps == [0.5, 1, 2])
        #expect(fake.openedPaths.count == 2)
        #expect(camera.statistics.devicesLost == 1 && camera.statistics.reconnects == 1)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test(arguments: [FakeV4L2Device.Step.hangup, .pollError])
    func pollHangupOrErrorIsDeviceLost(step: FakeV4L2Device.Step) throws {
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.steps = [step, .ready([greyFrame(6)])]
        let camera = makeCamera(fake, recorder: recorder)
        #expect(thrownCode(camera) == .deviceLost)
        #expect(!fake.isOpen && fake.mappedBufferCount == 0)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 6 })
        #expect(recorder.sleeps == [0.5])
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func missingCameraBacksOffUpToFiveSeconds() throws {
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.openResults = Array(repeating: ENOENT, count: 7)
        fake.steps = [.ready([greyFrame(8)])]
        let camera = makeCamera(fake, recorder: recorder)
        for _ in 0..<7 {
            #expect(thrownCode(camera) == .deviceLost)
        }
        #expect(try camera.nextFrame() != nil)
        #expect(recorder.sleeps == [0.5, 1, 2, 4, 5, 5, 5])  // the first open waits for nothing
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func enodevOnRequeueIsDeviceLost() throws {
        // vivid's disconnect=1 makes the next QBUF fail with ENODEV.
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.steps = [
            .ready([greyFrame(1)]), .readyThenQueueFails([greyFrame(2), greyFrame(3)], ENODEV), .ready([greyFrame(4)]),
        ]
        let camera = makeCamera(fake, recorder: recorder)
        _ = try camera.nextFrame()
        #expect(thrownCode(camera) == .deviceLost)
        #expect(!fake.isOpen && fake.mappedBufferCount == 0)
        let frame = try #require(try camera.nextFrame())
        #expect(frame.image.pixels.allSatisfy { $0 == 4 })
        #expect(recorder.sleeps == [0.5])
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func closeThenNextFrameReopensWithoutWaiting() throws {
        let fake = FakeV4L2Device()
        let recorder = SleepRecorder()
        fake.steps = [.ready([greyFrame(1)]), .ready([greyFrame(2)])]
        let camera = makeCamera(fake, recorder: recorder)
        _ = try camera.nextFrame()
        camera.close()
        camera.close()  // idempotent
        #expect(!fake.isOpen)
        _ = try camera.nextFrame()
        #expect(recorder.sleeps.isEmpty && fake.openedPaths.count == 2)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func backoffSchedule() {
        let backoff = ReconnectBackoff()
        #expect((0..<7).map(backoff.delay(beforeAttempt:)) == [0.5, 1, 2, 4, 5, 5, 5])
        #expect(backoff.delay(beforeAttempt: 1000) == 5)
    }
}
