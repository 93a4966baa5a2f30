import Frames
import SystemCalls
import V4L2Capture

import Glibc

/// A scripted ``V4L2Device``: plays a format list and a sequence of poll outcomes, and records every
/// call so tests can check that no fd, mapping or buffer leaks.
///
/// Buffers behave like the kernel's queue: `queueBuffer` appends to a FIFO, a ready frame fills the
/// oldest queued buffer, `dequeueBuffer` hands filled buffers out in order. Dequeuing a buffer that
/// was not queued, queuing one twice, or any call on a closed fd is recorded as a violation.
final class FakeV4L2Device: V4L2Device {
    /// One frame the camera produces.
    struct FakeFrame {
        var bytes: [UInt8]
        var isError = false
        var bytesUsed: Int?
    }

    /// What one poll call sees.
    enum Step {
        /// POLLIN, with these frames filled (oldest first) into the oldest queued buffers.
        case ready([FakeFrame])
        /// POLLIN, but VIDIOC_DQBUF returns EAGAIN.
        case spuriousWakeup
        case timeout
        case hangup
        case pollError
        /// POLLIN, and VIDIOC_DQBUF fails with this errno (ENODEV: unplugged). The device then counts as gone.
        case dequeueFails(Int32)
        /// Like `ready`, but the next VIDIOC_QBUF fails with this errno (vivid's disconnect=1 does this with ENODEV).
        case readyThenQueueFails([FakeFrame], Int32)
    }

    // Script.
    var capabilities = V4L2Capabilities(
        driver: "fake", card: "Fake Camera", busInfo: "fake:0",
        deviceCapabilities: V4L2Capabilities.videoCaptureBit | V4L2Capabilities.streamingBit
    )
    var formats: [V4L2FormatDescription] = [V4L2FormatDescription(pixelFormat: .grey, description: "8-bit Greyscale")]
    /// What S_FMT answers; by default the request as is, packed stride.
    var negotiate: (V4L2FormatRequest) -> V4L2NegotiatedFormat = { request in
        let bytesPerPixel = request.pixelFormat == .yuyv ? 2 : 1
        let planeFactor = (request.pixelFormat == .nv12 || request.pixelFormat == .yu12) ? 3 : 2
        return V4L2NegotiatedFormat(
            pixelFormat: request.pixelFormat, width: request.width, height: request.height,
            bytesPerLine: request.width * bytesPerPixel,
            sizeImage: request.width * bytesPerPixel * request.height * planeFactor / 2
        )
    }
    var grantedBuffers = 4
    /// Paths that answer QUERYCAP as a metadata node (no video capture), like a UVC camera's second node.
    var metadataNodes: Set<String> = []
    /// errno of each successive open (nil = success); when empty, opens succeed.
    var openResults: [Int32?] = []
    var steps: [Step] = []
    /// Frame sizes / intervals for the listing.
    var frameSizes: [V4L2FourCC: [V4L2FrameSize]] = [:]
    var frameIntervals: [V4L2FrameInterval] = [.discrete(numerator: 1, denominator: 30)]
    /// The controls QUERYCTRL enumerates, and their current values (a control's default until set).
    var controls: [V4L2ControlInfo] = []
    var controlValues: [UInt32: Int64] = [:]
    /// What S_SELECTION settles on for a crop request; nil: the device cannot crop (EINVAL).
    var crop: ((V4L2Rectangle) -> V4L2Rectangle)?

    // Record.
    private(set) var openedPaths: [String] = []
    private(set) var closeCount = 0
    private(set) var isOpen = false
    private(set) var requestedFormats: [V4L2FourCC] = []
    private(set) var streamOnCount = 0
    private(set) var streamOffCount = 0
    private(set) var mapCount = 0
    private(set) var unmapCount = 0
    private(set) var dequeueCount = 0
    /// Readiness checks (poll with a zero timeout) between dequeues.
    private(set) var zeroTimeoutPolls = 0
    /// DQBUF calls that found nothing (EAGAIN on a real device, where libv4l2 prints an error line for each).
    private(set) var emptyDequeues = 0
    private(set) var violations: [String] = []
    private(set) var controlEnumerations = 0
    /// Every S_CTRL, in order: (id, value).
    private(set) var controlWrites: [(id: UInt32, value: Int64)] = []
    private(set) var cropRequests: [V4L2Rectangle] = []

    private var isGone = false
    private var streaming = false
    private var bufferLength = 0
    private var mapped: [Int: UnsafeMutableRawBufferPointer] = [:]
    private var queued: [Int] = []
    private var filled: [(index: Int, frame: FakeFrame)] = []
    private var outstanding: Set<Int> = []
    private var pendingDequeueErrno: Int32?
    private var pendingQueueErrno: Int32?
    private var frameClock: UInt64 = 1_000_000_000

    /// Buffers dequeued and not yet queued again (must be empty between nextFrame calls).
    var buffersHeldByCaller: Set<Int> { outstanding }
    var mappedBufferCount: Int { mapped.count }

    deinit {
        for buffer in mapped.values { buffer.deallocate() }
    }

    func open(path: String) throws(V4L2DeviceError) {
        if isOpen { violations.append("open while already open") }
        if !openResults.isEmpty, let code = openResults.removeFirst() {
            throw V4L2DeviceError(call: "open", errno: code)
        }
        openedPaths.append(path)
        isOpen = true
        isGone = false
        streaming = false
        queued = []
        filled = []
        outstanding = []
    }

    func close() throws(V4L2DeviceError) {
        guard isOpen else {
            violations.append("close without open")
            return
        }
        if !mapped.isEmpty { violations.append("close with \(mapped.count) buffers still mapped") }
        isOpen = false
        closeCount += 1
    }

    func queryCapabilities() throws(V4L2DeviceError) -> V4L2Capabilities {
        try check("VIDIOC_QUERYCAP")
        if let path = openedPaths.last, metadataNodes.contains(path) {
            var metadata = capabilities
            metadata.deviceCapabilities = 0x0080_0000 | V4L2Capabilities.streamingBit  // V4L2_CAP_META_CAPTURE
            return metadata
        }
        return capabilities
    }

    func enumerateFormats(limit: Int) throws(V4L2DeviceError) -> [V4L2FormatDescription] {
        try check("VIDIOC_ENUM_FMT")
        return Array(formats.prefix(limit))
    }

    func enumerateFrameSizes(pixelFormat: V4L2FourCC, limit: Int) throws(V4L2DeviceError) -> [V4L2FrameSize] {
        try check("VIDIOC_ENUM_FRAMESIZES")
        return Array((frameSizes[pixelFormat] ?? []).prefix(limit))
    }

    func enumerateFrameIntervals(
        pixelFormat: V4L2FourCC,
        width: Int,
        height: Int,
        limit: Int
    ) throws(V4L2DeviceError) -> [V4L2FrameInterval] {
        try check("VIDIOC_ENUM_FRAMEINTERVALS")
        return Array(frameIntervals.prefix(limit))
    }

    func setFormat(_ request: V4L2FormatRequest) throws(V4L2DeviceError) -> V4L2NegotiatedFormat {
        try check("VIDIOC_S_FMT")
        requestedFormats.append(request.pixelFormat)
        let format = negotiate(request)
        bufferLength = format.sizeImage
        return format
    }

    func requestBuffers(count: Int) throws(V4L2DeviceError) -> Int {
        try check("VIDIOC_REQBUFS")
        return min(count, grantedBuffers)
    }

    func mapBuffer(index: Int) throws(V4L2DeviceError) -> UnsafeRawBufferPointer {
        try check("VIDIOC_QUERYBUF")
        if mapped[index] != nil { violations.append("buffer \(index) mapped twice") }
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferLength, alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        mapped[index] = memory
        mapCount += 1
        return UnsafeRawBufferPointer(memory)
    }

    func unmapBuffer(_ buffer: UnsafeRawBufferPointer) throws(V4L2DeviceError) {
        guard let entry = mapped.first(where: { UnsafeRawPointer($0.value.baseAddress) == buffer.baseAddress }) else {
            violations.append("munmap of an unknown buffer")
            throw V4L2DeviceError(call: "munmap", errno: EINVAL)
        }
        entry.value.deallocate()
        mapped[entry.key] = nil
        unmapCount += 1
    }

    func queueBuffer(index: Int) throws(V4L2DeviceError) {
        try check("VIDIOC_QBUF")
        if let code = pendingQueueErrno {
            pendingQueueErrno = nil
            if code == ENODEV { isGone = true }
            throw V4L2DeviceError(call: "VIDIOC_QBUF", errno: code)
        }
        if queued.contains(index) { violations.append("buffer \(index) queued twice") }
        if streaming, !outstanding.contains(index) { violations.append("buffer \(index) queued but never dequeued") }
        outstanding.remove(index)
        queued.append(index)
    }

    func dequeueBuffer() throws(V4L2DeviceError) -> V4L2DequeuedBuffer? {
        try check("VIDIOC_DQBUF")
        if let code = pendingDequeueErrno {
            pendingDequeueErrno = nil
            if code == ENODEV { isGone = true }
            throw V4L2DeviceError(call: "VIDIOC_DQBUF", errno: code)
        }
        guard !filled.isEmpty else {
            emptyDequeues += 1
            return nil
        }
        let (index, frame) = filled.removeFirst()
        outstanding.insert(index)
        dequeueCount += 1
        frameClock += 33_000_000
        return V4L2DequeuedBuffer(
            index: index,
            bytesUsed: frame.bytesUsed ?? frame.bytes.count,
            isError: frame.isError,
            timestamp: MonotonicInstant(nanoseconds: frameClock)
        )
    }

    func streamOn() throws(V4L2DeviceError) {
        try check("VIDIOC_STREAMON")
        streaming = true
        streamOnCount += 1
    }

    func streamOff() throws(V4L2DeviceError) {
        streamOffCount += 1
        try check("VIDIOC_STREAMOFF")
        streaming = false
        queued = []
        filled = []
        outstanding = []
    }

    func poll(timeoutMilliseconds: Int) throws(V4L2DeviceError) -> V4L2PollEvent {
        try check("poll")
        if !streaming { violations.append("poll while not streaming") }
        // A zero timeout asks "is a buffer ready now?", as the kernel answers it: scripted steps are for waits.
        if timeoutMilliseconds == 0 {
            zeroTimeoutPolls += 1
            return !filled.isEmpty || pendingDequeueErrno != nil ? .readable : .timeout
        }
        guard !steps.isEmpty else { return .timeout }
        var step = steps.removeFirst()
        if case .readyThenQueueFails(let frames, let code) = step {
            pendingQueueErrno = code
            step = .ready(frames)
        }
        switch step {
        case .ready(let frames):
            for frame in frames {
                guard !queued.isEmpty else {
                    violations.append("a frame arrived with no buffer queued")
                    break
                }
                let index = queued.removeFirst()
                let memory = mapped[index]!
                memory.copyBytes(from: frame.bytes.prefix(memory.count))
                filled.append((index, frame))
            }
            return .readable
        case .spuriousWakeup:
            return .readable
        case .timeout:
            return .timeout
        case .hangup:
            isGone = true
            return .hangup
        case .pollError:
            isGone = true
            return .error
        case .dequeueFails(let code):
            pendingDequeueErrno = code
            return .readable
        case .readyThenQueueFails:
            return .readable  // rewritten to .ready above
        }
    }

    func enumerateControls(limit: Int, menuLimit: Int) throws(V4L2DeviceError) -> [V4L2ControlInfo] {
        try check("VIDIOC_QUERYCTRL")
        controlEnumerations += 1
        return Array(controls.prefix(limit)).map { control in
            var control = control
            control.menu = Array(control.menu.prefix(menuLimit))
            return control
        }
    }

    func getControl(_ control: V4L2ControlInfo) throws(V4L2DeviceError) -> Int64 {
        try check("VIDIOC_G_CTRL")
        guard let known = controls.first(where: { $0.id == control.id }) else {
            throw V4L2DeviceError(call: "VIDIOC_G_CTRL", errno: EINVAL)
        }
        if known.flags.contains(.writeOnly) { throw V4L2DeviceError(call: "VIDIOC_G_CTRL", errno: EACCES) }
        return controlValues[control.id] ?? known.defaultValue
    }

    func setControl(_ control: V4L2ControlInfo, value: Int64) throws(V4L2DeviceError) {
        try check("VIDIOC_S_CTRL")
        guard let known = controls.first(where: { $0.id == control.id }) else {
            throw V4L2DeviceError(call: "VIDIOC_S_CTRL", errno: EINVAL)
        }
        if known.flags.contains(.readOnly) { throw V4L2DeviceError(call: "VIDIOC_S_CTRL", errno: EACCES) }
        guard (known.minimum...known.maximum).contains(value) else { throw V4L2DeviceError(call: "VIDIOC_S_CTRL", errno: ERANGE) }
        controlWrites.append((control.id, value))
        controlValues[control.id] = value
    }

    func setCrop(_ rectangle: V4L2Rectangle) throws(V4L2DeviceError) -> V4L2Rectangle {
        try check("VIDIOC_S_SELECTION")
        if !mapped.isEmpty || streaming { violations.append("crop set after buffers were requested") }
        cropRequests.append(rectangle)
        guard let crop else { throw V4L2DeviceError(call: "VIDIOC_S_SELECTION", errno: EINVAL) }
        return crop(rectangle)
    }

    /// A call on the fd: fails with ENODEV once the device is gone (as after a real disconnect).
    private func check(_ call: String) throws(V4L2DeviceError) {
        if !isOpen { violations.append("\(call) on a closed fd") }
        if isGone { throw V4L2DeviceError(call: call, errno: ENODEV) }
    }
}
