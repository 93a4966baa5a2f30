import CV4L2
import Frames
import Imaging
import SystemCalls

import Glibc

/// A V4L2 camera as a ``FrameSource``: the newest luminance frame per call, surviving unplugging.
///
/// Opening follows `contrib/test/capture-example.c`: open non-blocking, require capture + streaming,
/// negotiate a format GateCheck can take the Y plane from (``formatPreference(for:)``), request 4 mmap
/// buffers (2 or 3 granted are accepted), queue them all, STREAMON.
///
/// ``nextFrame()`` polls for at most ``Configuration/pollTimeoutMilliseconds``, then dequeues every
/// ready buffer: frames the driver flagged as corrupt are requeued and skipped; of several good frames
/// only the newest is copied, the older ones are requeued at once and counted in
/// ``Statistics/framesDropped``. The Y plane is copied out and the buffer requeued before the frame is
/// returned, so the driver always has every buffer but one to fill and no stale frames pile up.
///
/// Failures: POLLERR/POLLHUP or ENODEV from any call mean the device is gone: everything is released
/// (STREAMOFF, munmap, close — the kernel keeps a disconnected node until every fd is closed) and
/// ``FrameSourceError/Code/deviceLost`` is thrown. The next call reopens, after a backoff
/// (``ReconnectBackoff``: 0.5 s doubling to 5 s between attempts), so a caller just keeps calling.
/// Any other failure while streaming also releases the device and is reopened the same way;
/// ``Configuration/timeoutsBeforeReopen`` consecutive timeouts do the same for a stalled camera.
///
/// Not thread-safe: driven by one thread, as ``FrameSource`` requires.
public final class V4L2Camera: FrameSource {
    /// The udev symlink GateCheck's rule creates for the checkpoint camera.
    public static let defaultPath = "/dev/gatecheck-camera"

    /// What to open and how to wait.
    public struct Configuration: Hashable, Sendable {
        /// Any V4L2 capture node; by default the udev symlink, never "the first video node".
        public var path: String
        /// The size asked for; the driver picks the nearest it supports.
        public var width: Int
        public var height: Int
        /// How long one ``nextFrame()`` waits for a frame before throwing `.timeout`.
        public var pollTimeoutMilliseconds: Int
        /// mmap buffers to request (2 or more granted are accepted).
        public var bufferCount: Int
        /// After this many consecutive timeouts the device is closed and reopened (a stalled camera).
        public var timeoutsBeforeReopen: Int
        public var backoff: ReconnectBackoff
        /// Controls and crop for code reading, applied at every open (``V4L2CameraSettings``).
        public var settings: V4L2CameraSettings

        public init(
            path: String = V4L2Camera.defaultPath,
            width: Int = 1280,
            height: Int = 720,
            pollTimeoutMilliseconds: Int = 2000,
            bufferCount: Int = 4,
            timeoutsBeforeReopen: Int = 3,
            backoff: ReconnectBackoff = ReconnectBackoff(),
            settings: V4L2CameraSettings = V4L2CameraSettings()
        ) {
            self.path = path
            self.width = width
            self.height = height
            self.pollTimeoutMilliseconds = pollTimeoutMilliseconds
            self.bufferCount = bufferCount
            self.timeoutsBeforeReopen = timeoutsBeforeReopen
            self.backoff = backoff
            self.settings = settings
        }
    }

    /// Counters since the camera object was made (they survive reconnects).
    public struct Statistics: Hashable, Sendable {
        /// Frames returned by ``nextFrame()``.
        public var framesDelivered = 0
        /// Good frames requeued unread because a newer one was ready.
        public var framesDropped = 0
        /// Frames the driver flagged with `V4L2_BUF_FLAG_ERROR`, that held fewer bytes than the format needs
        /// (none at all included), or that claimed more than their buffer holds: requeued, never delivered.
        public var errorFramesSkipped = 0
        /// `nextFrame()` calls that ended in `.timeout`.
        public var timeouts = 0
        /// Times the device was lost (POLLERR/POLLHUP/ENODEV) while open.
        public var devicesLost = 0
        /// Successful opens after a loss or failure.
        public var reconnects = 0
        /// STREAMOFF/munmap/close failures while releasing a device (ignored: the fd is gone either way).
        public var releaseFailures = 0

        public init() {}
    }

    public let configuration: Configuration
    public private(set) var statistics = Statistics()
    /// The format in use while the device is open.
    public var format: V4L2NegotiatedFormat? { session?.format }
    /// Good frames requeued unread because a newer one was ready (the drain counter).
    public var framesDropped: Int { statistics.framesDropped }

    /// What became of each setting at the latest open.
    public private(set) var settingOutcomes: [V4L2SettingOutcome] = []

    private let device: any V4L2Device
    private let sleep: (Double) -> Void
    private let report: (V4L2SettingOutcome) -> Void
    /// Setting outcomes already reported, so a camera that lacks a control says so once, not at every reconnect.
    private var reportedOutcomes: Set<V4L2SettingOutcome> = []
    private var session: Session?
    /// nil: the next open happens at once. n: the next open is attempt n since a loss, after a backoff.
    private var reopenAttempt: Int?
    private var consecutiveTimeouts = 0
    private var nextSequence: UInt64 = 0

    /// Makes a camera; nothing is opened until ``open()`` or the first ``nextFrame()``.
    ///
    /// - Parameters:
    ///   - device: the system calls; tests pass a scripted fake.
    ///   - sleep: waits the given seconds before a reopen; tests record instead of sleeping.
    ///   - report: takes each new outcome of ``Configuration/settings`` (set, skipped because the camera lacks the
    ///     control, refused), for the log; each distinct outcome once, however often the camera is reopened.
    public init(
        configuration: Configuration = Configuration(),
        device: any V4L2Device = LibV4L2Device(),
        sleep: @escaping (Double) -> Void = V4L2Camera.sleep(seconds:),
        report: @escaping (V4L2SettingOutcome) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.device = device
        self.sleep = sleep
        self.report = report
    }

    /// A camera at `path` with the other settings at their defaults.
    public convenience init(path: String) {
        self.init(configuration: Configuration(path: path))
    }

    deinit {
        release()
    }

    public var description: String {
        guard let session else { return configuration.path }
        let format = session.format
        let conversion = session.converted ? " (converted by libv4lconvert)" : ""
        return "\(configuration.path) \(format.width)x\(format.height) \(format.pixelFormat)\(conversion)"
    }

    /// Opens and starts streaming now, instead of on the first ``nextFrame()`` (to report a missing or
    /// unusable camera at start-up). Does nothing if already open. Honors the reconnect backoff.
    public func open() throws(FrameSourceError) {
        guard session == nil else { return }
        if let attempt = reopenAttempt {
            sleep(configuration.backoff.delay(beforeAttempt: attempt))
        }
        do {
            session = try startSession()
        } catch {
            reopenAttempt = (reopenAttempt ?? -1) + 1
            throw error
        }
        if reopenAttempt != nil { statistics.reconnects += 1 }
        reopenAttempt = nil
        consecutiveTimeouts = 0
    }

    public func nextFrame() throws(FrameSourceError) -> Frame? {
        try open()
        let timeout = UInt64(max(0, configuration.pollTimeoutMilliseconds)) * 1_000_000
        let deadline = MonotonicInstant.now().nanoseconds + timeout
        // Bounded even when a device keeps waking poll without a usable frame (EAGAIN, error frames).
        for _ in 0..<Self.maximumWakeupsPerFrame {
            let now = MonotonicInstant.now().nanoseconds
            guard now < deadline else { break }
            let remaining = Int((deadline - now + 999_999) / 1_000_000)
            let event = try streaming { () throws(V4L2DeviceError) in
                try device.poll(timeoutMilliseconds: remaining)
            }
            switch event {
            case .timeout:
                return try timedOut()
            case .error, .hangup:
                throw lose(event == .hangup ? "poll: POLLHUP (disconnected)" : "poll: POLLERR")
            case .readable:
                if let frame = try drain() {
                    consecutiveTimeouts = 0
                    statistics.framesDelivered += 1
                    return frame
                }
                continue  // EAGAIN or only error-flagged frames: poll again
            }
        }
        return try timedOut()
    }

    public func close() {
        release()
        reopenAttempt = nil
        consecutiveTimeouts = 0
    }

    /// Sleeps with nanosleep, resuming after signals. The default `sleep` of ``init(configuration:device:sleep:)``.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        Waiting.sleep(.seconds(seconds))
    }

    // MARK: Internals

    /// poll wake-ups one `nextFrame` tolerates without a usable frame before reporting a timeout.
    static let maximumWakeupsPerFrame = 64
    /// Entries read at most from each enumeration (zbar's bound).
    static let enumerationLimit = 64

    /// An open, streaming device: its format and mapped buffers.
    private struct Session {
        var format: V4L2NegotiatedFormat
        var converted: Bool
        var buffers: [UnsafeRawBufferPointer]
    }

    /// What has been acquired while starting, so a failure part-way releases exactly that.
    private struct Acquired {
        var isOpen = false
        var buffers: [UnsafeRawBufferPointer] = []
        var isStreaming = false
    }

    private func startSession() throws(FrameSourceError) -> Session {
        var acquired = Acquired()
        do {
            return try startSession(&acquired)
        } catch {
            release(acquired)
            throw error
        }
    }

    private func startSession(_ acquired: inout Acquired) throws(FrameSourceError) -> Session {
        let path = configuration.path
        do {
            try device.open(path: path)
        } catch {
            switch error.errno {
            case ENOENT, ENODEV, ENXIO: throw FrameSourceError(.deviceLost, "\(path): \(error)")
            case ENOTTY: throw FrameSourceError(.notACamera, "\(path) is not a V4L2 device (\(error))")
            default: throw FrameSourceError(.ioFailure, "\(path): \(error)")
            }
        }
        acquired.isOpen = true

        let capabilities = try setup { () throws(V4L2DeviceError) in try device.queryCapabilities() }
        guard capabilities.canCapture, capabilities.canStream else {
            throw FrameSourceError(
                .notACamera,
                "\(path) (\(capabilities.card), driver \(capabilities.driver)) lacks "
                    + (capabilities.canCapture ? "streaming I/O" : "video capture")
            )
        }

        let formats = try setup { () throws(V4L2DeviceError) in
            try device.enumerateFormats(limit: Self.enumerationLimit)
        }
        // The crop comes before the format: the driver scales or sizes the format from the crop rectangle.
        let cropOutcome = try setup { () throws(V4L2DeviceError) in try configuration.settings.applyCrop(to: device) }
        let preference = Self.formatPreference(for: formats)
        var chosen: V4L2NegotiatedFormat?
        for pixelFormat in preference {
            let request = V4L2FormatRequest(
                pixelFormat: pixelFormat,
                width: configuration.width,
                height: configuration.height
            )
            let negotiated: V4L2NegotiatedFormat
            do {
                negotiated = try device.setFormat(request)
            } catch {
                if error.errno == EINVAL { continue }  // this format is refused: try the next
                throw setupFailure(error)
            }
            // Drivers substitute a format they support for one they do not; only an exact match counts.
            guard negotiated.pixelFormat == pixelFormat, negotiated.width > 0, negotiated.height > 0 else { continue }
            chosen = Self.sanitized(negotiated)
            break
        }
        guard let format = chosen else {
            let offered = formats.isEmpty ? "none" : formats.map { "\($0.pixelFormat)" }.joined(separator: ", ")
            throw FrameSourceError(
                .noUsableFormat,
                "\(path) offers no GREY, YUYV, NV12, YU12 or MJPEG capture format (offered: \(offered))"
            )
        }
        let converted = !formats.contains { $0.pixelFormat == format.pixelFormat && !$0.isEmulated }
        let controlOutcomes = try setup { () throws(V4L2DeviceError) in
            try configuration.settings.applyControls(to: device)
        }
        noteSettings((cropOutcome.map { [$0] } ?? []) + controlOutcomes)

        let granted = try setup { () throws(V4L2DeviceError) in
            try device.requestBuffers(count: configuration.bufferCount)
        }
        guard granted >= 2 else {
            throw FrameSourceError(
                .ioFailure, "VIDIOC_REQBUFS on \(path) granted \(granted) buffers; at least 2 are needed")
        }
        let needed = Self.yPlaneByteCount(format)
        for index in 0..<granted {
            let buffer = try setup { () throws(V4L2DeviceError) in try device.mapBuffer(index: index) }
            acquired.buffers.append(buffer)
            guard buffer.count >= needed else {
                throw FrameSourceError(
                    .ioFailure,
                    "buffer \(index) of \(path) holds \(buffer.count) bytes; "
                        + "the \(format.pixelFormat) Y plane needs \(needed)"
                )
            }
        }
        for index in 0..<granted {
            try setup { () throws(V4L2DeviceError) in try device.queueBuffer(index: index) }
        }
        try setup { () throws(V4L2DeviceError) in try device.streamOn() }
        acquired.isStreaming = true
        return Session(format: format, converted: converted, buffers: acquired.buffers)
    }

    /// Keeps the outcomes of this open and reports each one not reported before.
    private func noteSettings(_ outcomes: [V4L2SettingOutcome]) {
        settingOutcomes = outcomes
        for outcome in outcomes where reportedOutcomes.insert(outcome).inserted {
            report(outcome)
        }
    }

    /// Runs one setup call; maps its error (ENODEV → deviceLost, else ioFailure naming the call).
    private func setup<T>(_ call: () throws(V4L2DeviceError) -> T) throws(FrameSourceError) -> T {
        do {
            return try call()
        } catch {
            throw setupFailure(error)
        }
    }

    private func setupFailure(_ error: V4L2DeviceError) -> FrameSourceError {
        let detail = "\(configuration.path): \(error)"
        return error.isDeviceGone ? FrameSourceError(.deviceLost, detail) : FrameSourceError(.ioFailure, detail)
    }

    /// Runs one call on the streaming device; any failure releases the device (reopened on the next call).
    private func streaming<T>(_ call: () throws(V4L2DeviceError) -> T) throws(FrameSourceError) -> T {
        do {
            return try call()
        } catch {
            if error.isDeviceGone { throw lose("\(error)") }
            release()
            reopenAttempt = 0
            throw FrameSourceError(.ioFailure, "\(configuration.path): \(error)")
        }
    }

    /// The device is gone: release everything and arrange a reopen with backoff.
    private func lose(_ reason: String) -> FrameSourceError {
        statistics.devicesLost += 1
        release()
        reopenAttempt = 0
        return FrameSourceError(.deviceLost, "\(configuration.path): \(reason)")
    }

    private func timedOut() throws(FrameSourceError) -> Frame? {
        statistics.timeouts += 1
        consecutiveTimeouts += 1
        var detail = "no frame from \(configuration.path) within \(configuration.pollTimeoutMilliseconds) ms"
        if consecutiveTimeouts >= max(1, configuration.timeoutsBeforeReopen) {
            release()
            reopenAttempt = 0
            consecutiveTimeouts = 0
            detail +=
                "; closed after \(configuration.timeoutsBeforeReopen) timeouts in a row, reopening on the next call"
        }
        throw FrameSourceError(.timeout, detail)
    }

    /// Dequeues every ready buffer; keeps the newest good one, requeues the rest; copies and requeues it.
    private func drain() throws(FrameSourceError) -> Frame? {
        guard let session else { return nil }
        let needed = Self.yPlaneByteCount(session.format)
        var newest: V4L2DequeuedBuffer?
        // At most one pass over the buffers: a fast camera refilling requeued buffers cannot keep us here.
        for attempt in 0..<session.buffers.count {
            if attempt > 0 {
                // Ask before dequeuing again instead of running into EAGAIN: libv4l2 prints an error line on
                // stderr for every failed DQBUF, which under systemd would put a line per frame into the journal.
                let more = try streaming { () throws(V4L2DeviceError) in try device.poll(timeoutMilliseconds: 0) }
                guard more == .readable else { break }
            }
            let dequeued = try streaming { () throws(V4L2DeviceError) in try device.dequeueBuffer() }
            guard let buffer = dequeued else { break }  // EAGAIN: nothing more is ready
            guard session.buffers.indices.contains(buffer.index) else {
                release()
                reopenAttempt = 0
                throw FrameSourceError(
                    .ioFailure, "VIDIOC_DQBUF returned buffer \(buffer.index) of \(session.buffers.count)")
            }
            // bytesused 0 is an empty buffer, not "all of it": the buffer still holds an older frame, which
            // must not be scanned again nor feed the watchdog. More than the buffer holds is a driver fault.
            let used = buffer.bytesUsed
            if buffer.isError || used < needed || used > session.buffers[buffer.index].count {
                statistics.errorFramesSkipped += 1
                try requeue(buffer.index)
                continue
            }
            nextSequence += 1
            if let older = newest {
                statistics.framesDropped += 1
                try requeue(older.index)
            }
            newest = buffer
        }
        guard let newest else { return nil }
        let pixels = Self.copyYPlane(from: session.buffers[newest.index], format: session.format)
        try requeue(newest.index)
        let image: GreyImage
        do {
            image = try GreyImage(
                width: session.format.width,
                height: session.format.height,
                bytesPerRow: session.format.pixelFormat == .yuyv ? session.format.width : session.format.bytesPerLine,
                pixels: pixels
            )
        } catch {
            throw FrameSourceError(.ioFailure, "frame from \(configuration.path) rejected: \(error)")
        }
        return Frame(image: image, sequence: nextSequence, captured: newest.timestamp ?? MonotonicInstant.now())
    }

    private func requeue(_ index: Int) throws(FrameSourceError) {
        try streaming { () throws(V4L2DeviceError) in try device.queueBuffer(index: index) }
    }

    /// The luminance of one frame: YUYV's every other byte (packed to `width` a row), or the first
    /// `bytesPerLine * height` bytes of GREY, NV12 and YU12 (stride kept).
    static func copyYPlane(from buffer: UnsafeRawBufferPointer, format: V4L2NegotiatedFormat) -> [UInt8] {
        let stride = format.bytesPerLine
        guard format.pixelFormat == .yuyv else {
            return Array(buffer[0..<(stride * format.height)])
        }
        let width = format.width
        let height = format.height
        return [UInt8](unsafeUninitializedCapacity: width * height) { output, count in
            let source = buffer.bindMemory(to: UInt8.self)
            for row in 0..<height {
                let input = row * stride
                let target = row * width
                for column in 0..<width {
                    output[target + column] = source[input + 2 * column]
                }
            }
            count = width * height
        }
    }

    private func release() {
        guard let session else { return }
        self.session = nil
        release(Acquired(isOpen: true, buffers: session.buffers, isStreaming: true))
    }

    /// STREAMOFF, munmap, close — each attempted even if the one before failed (e.g. with ENODEV).
    private func release(_ acquired: Acquired) {
        if acquired.isStreaming {
            do { try device.streamOff() } catch { statistics.releaseFailures += 1 }
        }
        for buffer in acquired.buffers {
            do { try device.unmapBuffer(buffer) } catch { statistics.releaseFailures += 1 }
        }
        if acquired.isOpen {
            do { try device.close() } catch { statistics.releaseFailures += 1 }
        }
    }
}
