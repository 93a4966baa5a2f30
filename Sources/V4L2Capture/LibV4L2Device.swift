import CV4L2
import Frames
import SystemCalls
import SystemPackage

import Glibc

/// The real ``V4L2Device``: ioctls through libv4l2 (so MJPEG-only cameras get libv4lconvert's YU12),
/// each retried after a signal by the system-call layer, every result checked and failures named by call.
///
/// Not thread-safe: owned by one ``V4L2Camera`` (or one listing) at a time.
public final class LibV4L2Device: V4L2Device {
    private var fd: Int32 = -1
    /// Lengths of the mapped buffers, by start address, for munmap.
    private var mappedLengths: [UnsafeRawPointer: Int] = [:]

    public init() {}

    deinit {
        for (start, length) in mappedLengths {
            _ = gatecheck_v4l2_munmap(UnsafeMutableRawPointer(mutating: start), length)  // best effort in deinit
        }
        if fd >= 0 { _ = gatecheck_v4l2_close(fd) }  // best effort in deinit
    }

    public func open(path: String) throws(V4L2DeviceError) {
        precondition(fd < 0, "LibV4L2Device.open: a node is already open")
        // Plain open + checks first, so libv4l2 (which logs to stderr when QUERYCAP fails) only
        // ever sees V4L2 nodes.
        let raw = try Self.retrying("open", path) { gatecheck_v4l2_sys_open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) }
        let status: Stat
        do {
            status = try Files.status(FileDescriptor(rawValue: raw), path)
        } catch {
            SystemCall.close(raw)  // the open failed as a whole; its close result adds nothing
            throw V4L2DeviceError(call: "fstat", errno: error.errno?.rawValue ?? EIO)
        }
        guard gatecheck_v4l2_is_character_device(status.mode.rawValue) != 0 else {
            SystemCall.close(raw)  // as above
            throw V4L2DeviceError(call: "open (not a character device)", errno: ENOTTY)
        }
        var capability = v4l2_capability()
        do {
            try Self.retrying("VIDIOC_QUERYCAP", path) { gatecheck_v4l2_sys_ioctl(raw, gatecheck_v4l2_vidioc_querycap, &capability) }
        } catch {
            SystemCall.close(raw)  // as above
            throw error
        }
        guard gatecheck_v4l2_fd_open(raw) == raw else {
            let error = V4L2DeviceError(call: "v4l2_fd_open", errno: errno)
            SystemCall.close(raw)  // v4l2_fd_open leaves the fd open on failure
            throw error
        }
        fd = raw
    }

    public func close() throws(V4L2DeviceError) {
        guard fd >= 0 else { return }
        let result = gatecheck_v4l2_close(fd)
        let closeErrno = errno
        fd = -1  // released even on error (Linux close semantics); never retried
        guard result == 0 else { throw V4L2DeviceError(call: "close", errno: closeErrno) }
    }

    public func queryCapabilities() throws(V4L2DeviceError) -> V4L2Capabilities {
        var capability = v4l2_capability()
        try ioctl(gatecheck_v4l2_vidioc_querycap, &capability, "VIDIOC_QUERYCAP")
        let hasDeviceCaps = capability.capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0
        return V4L2Capabilities(
            driver: Self.string(fromCString: capability.driver),
            card: Self.string(fromCString: capability.card),
            busInfo: Self.string(fromCString: capability.bus_info),
            deviceCapabilities: hasDeviceCaps ? capability.device_caps : capability.capabilities
        )
    }

    public func enumerateFormats(limit: Int) throws(V4L2DeviceError) -> [V4L2FormatDescription] {
        var formats: [V4L2FormatDescription] = []
        for index in 0..<UInt32(clamping: max(0, limit)) {
            var description = v4l2_fmtdesc()
            description.index = index
            description.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            guard try ioctlUnlessEnd(gatecheck_v4l2_vidioc_enum_fmt, &description, "VIDIOC_ENUM_FMT") else { break }
            formats.append(
                V4L2FormatDescription(
                    pixelFormat: V4L2FourCC(rawValue: description.pixelformat),
                    description: Self.string(fromCString: description.description),
                    isCompressed: description.flags & UInt32(V4L2_FMT_FLAG_COMPRESSED) != 0,
                    isEmulated: description.flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0
                )
            )
        }
        return formats
    }

    public func enumerateFrameSizes(pixelFormat: V4L2FourCC, limit: Int) throws(V4L2DeviceError) -> [V4L2FrameSize] {
        var sizes: [V4L2FrameSize] = []
        for index in 0..<UInt32(clamping: max(0, limit)) {
            var entry = v4l2_frmsizeenum()
            entry.index = index
            entry.pixel_format = pixelFormat.rawValue
            guard try ioctlUnlessEnd(gatecheck_v4l2_vidioc_enum_framesizes, &entry, "VIDIOC_ENUM_FRAMESIZES") else {
                break
            }
            guard entry.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue else {
                let range = entry.stepwise
                sizes.append(
                    .stepwise(
                        minWidth: Int(range.min_width), maxWidth: Int(range.max_width),
                        stepWidth: Int(range.step_width),
                        minHeight: Int(range.min_height), maxHeight: Int(range.max_height),
                        stepHeight: Int(range.step_height)
                    )
                )
                break  // stepwise and continuous are a single entry
            }
            sizes.append(.discrete(width: Int(entry.discrete.width), height: Int(entry.discrete.height)))
        }
        return sizes
    }

    public func enumerateFrameIntervals(
        pixelFormat: V4L2FourCC,
        width: Int,
        height: Int,
        limit: Int
    ) throws(V4L2DeviceError) -> [V4L2FrameInterval] {
        var intervals: [V4L2FrameInterval] = []
        for index in 0..<UInt32(clamping: max(0, limit)) {
            var entry = v4l2_frmivalenum()
            entry.index = index
            entry.pixel_format = pixelFormat.rawValue
            entry.width = UInt32(clamping: width)
            entry.height = UInt32(clamping: height)
            guard
                try ioctlUnlessEnd(gatecheck_v4l2_vidioc_enum_frameintervals, &entry, "VIDIOC_ENUM_FRAMEINTERVALS")
            else { break }
            guard entry.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue else {
                let range = entry.stepwise
                intervals.append(
                    .stepwise(
                        minimum: .init(numerator: Int(range.min.numerator), denominator: Int(range.min.denominator)),
                        maximum: .init(numerator: Int(range.max.numerator), denominator: Int(range.max.denominator)),
                        step: .init(numerator: Int(range.step.numerator), denominator: Int(range.step.denominator))
                    )
                )
                break  // stepwise and continuous are a single entry
            }
            intervals.append(
                .discrete(numerator: Int(entry.discrete.numerator), denominator: Int(entry.discrete.denominator))
            )
        }
        return intervals
    }

    public func setFormat(_ request: V4L2FormatRequest) throws(V4L2DeviceError) -> V4L2NegotiatedFormat {
        var format = v4l2_format()
        format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        format.fmt.pix.width = UInt32(clamping: request.width)
        format.fmt.pix.height = UInt32(clamping: request.height)
        format.fmt.pix.pixelformat = request.pixelFormat.rawValue
        format.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        try ioctl(gatecheck_v4l2_vidioc_s_fmt, &format, "VIDIOC_S_FMT")
        let pix = format.fmt.pix
        return V4L2NegotiatedFormat(
            pixelFormat: V4L2FourCC(rawValue: pix.pixelformat),
            width: Int(pix.width),
            height: Int(pix.height),
            bytesPerLine: Int(pix.bytesperline),
            sizeImage: Int(pix.sizeimage)
        )
    }

    public func requestBuffers(count: Int) throws(V4L2DeviceError) -> Int {
        var request = v4l2_requestbuffers()
        request.count = UInt32(clamping: count)
        request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        request.memory = V4L2_MEMORY_MMAP.rawValue
        try ioctl(gatecheck_v4l2_vidioc_reqbufs, &request, "VIDIOC_REQBUFS")
        return Int(request.count)
    }

    public func mapBuffer(index: Int) throws(V4L2DeviceError) -> UnsafeRawBufferPointer {
        var buffer = Self.captureBuffer(index: index)
        try ioctl(gatecheck_v4l2_vidioc_querybuf, &buffer, "VIDIOC_QUERYBUF")
        let length = Int(buffer.length)
        guard let start = gatecheck_v4l2_mmap(fd, length, Int64(buffer.m.offset)) else {
            throw V4L2DeviceError(call: "mmap", errno: errno)
        }
        mappedLengths[UnsafeRawPointer(start)] = length
        return UnsafeRawBufferPointer(start: start, count: length)
    }

    public func unmapBuffer(_ buffer: UnsafeRawBufferPointer) throws(V4L2DeviceError) {
        guard let start = buffer.baseAddress, let length = mappedLengths.removeValue(forKey: start) else { return }
        guard gatecheck_v4l2_munmap(UnsafeMutableRawPointer(mutating: start), length) == 0 else {
            throw V4L2DeviceError(call: "munmap", errno: errno)
        }
    }

    public func queueBuffer(index: Int) throws(V4L2DeviceError) {
        var buffer = Self.captureBuffer(index: index)
        try ioctl(gatecheck_v4l2_vidioc_qbuf, &buffer, "VIDIOC_QBUF")
    }

    public func dequeueBuffer() throws(V4L2DeviceError) -> V4L2DequeuedBuffer? {
        var buffer = Self.captureBuffer(index: 0)
        do {
            try ioctl(gatecheck_v4l2_vidioc_dqbuf, &buffer, "VIDIOC_DQBUF")
        } catch where error.errno == EAGAIN {
            return nil
        }
        let clock = buffer.flags & UInt32(V4L2_BUF_FLAG_TIMESTAMP_MASK)
        let seconds = Int64(buffer.timestamp.tv_sec)
        let microseconds = Int64(buffer.timestamp.tv_usec)
        var timestamp: MonotonicInstant?
        if clock == UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), seconds > 0 || microseconds > 0, seconds >= 0 {
            timestamp = MonotonicInstant(nanoseconds: UInt64(seconds) * 1_000_000_000 + UInt64(microseconds) * 1_000)
        }
        return V4L2DequeuedBuffer(
            index: Int(buffer.index),
            bytesUsed: Int(buffer.bytesused),
            isError: buffer.flags & UInt32(V4L2_BUF_FLAG_ERROR) != 0,
            timestamp: timestamp
        )
    }

    public func streamOn() throws(V4L2DeviceError) {
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try ioctl(gatecheck_v4l2_vidioc_streamon, &type, "VIDIOC_STREAMON")
    }

    public func streamOff() throws(V4L2DeviceError) {
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try ioctl(gatecheck_v4l2_vidioc_streamoff, &type, "VIDIOC_STREAMOFF")
    }

    public func poll(timeoutMilliseconds: Int) throws(V4L2DeviceError) -> V4L2PollEvent {
        // A signal does not end the wait: the layer waits out the rest of the timeout.
        let events: Waiting.Events?
        do {
            events = try Waiting.pollReadable(fd, timeout: .milliseconds(max(0, timeoutMilliseconds)), "camera")
        } catch {
            throw V4L2DeviceError(call: "poll", errno: error.errno?.rawValue ?? EIO)
        }
        guard let events else { return .timeout }
        if events.contains(.hangup) { return .hangup }
        if !events.isDisjoint(with: [.error, .invalid]) { return .error }
        return .readable
    }

    // MARK: Controls and cropping

    public func enumerateControls(limit: Int, menuLimit: Int) throws(V4L2DeviceError) -> [V4L2ControlInfo] {
        var controls: [V4L2ControlInfo] = []
        var nextID: UInt32 = 0
        for _ in 0..<max(0, limit) {
            var query = v4l2_queryctrl()
            query.id = nextID | gatecheck_v4l2_ctrl_flag_next_ctrl
            guard try ioctlUnlessEnd(gatecheck_v4l2_vidioc_queryctrl, &query, "VIDIOC_QUERYCTRL") else { break }
            // The driver must move forward; one that does not would otherwise loop until the limit.
            guard query.id > nextID || controls.isEmpty else { break }
            nextID = query.id
            let type = V4L2ControlType(rawValue: query.type)
            var menu: [V4L2MenuItem] = []
            if type == .menu || type == .integerMenu {
                menu = try menuItems(id: query.id, minimum: Int64(query.minimum), maximum: Int64(query.maximum),
                                     integer: type == .integerMenu, limit: menuLimit)
            }
            controls.append(
                V4L2ControlInfo(
                    id: query.id, label: Self.string(fromCString: query.name), type: type,
                    minimum: Int64(query.minimum), maximum: Int64(query.maximum), step: UInt64(query.step),
                    defaultValue: Int64(query.default_value), flags: .init(rawValue: query.flags), menu: menu
                )
            )
        }
        return controls
    }

    /// The entries of one menu control, indices `minimum...maximum` (gaps skipped), at most `limit`.
    private func menuItems(id: UInt32, minimum: Int64, maximum: Int64, integer: Bool, limit: Int) throws(V4L2DeviceError) -> [V4L2MenuItem] {
        var items: [V4L2MenuItem] = []
        guard minimum >= 0, maximum >= minimum else { return items }
        var index = minimum
        while index <= maximum, items.count < limit, index - minimum < Int64(limit) * 4 {
            var entry = v4l2_querymenu()
            entry.id = id
            entry.index = UInt32(clamping: index)
            if try ioctlUnlessEnd(gatecheck_v4l2_vidioc_querymenu, &entry, "VIDIOC_QUERYMENU") {
                if integer {
                    let value = Int64(entry.value)
                    items.append(V4L2MenuItem(index: index, name: "\(value)", value: value))
                } else {
                    items.append(V4L2MenuItem(index: index, name: Self.string(fromCString: entry.name)))
                }
            }
            index += 1
        }
        return items
    }

    public func getControl(_ control: V4L2ControlInfo) throws(V4L2DeviceError) -> Int64 {
        guard control.type == .integer64 else {
            var value = v4l2_control()
            value.id = control.id
            try ioctl(gatecheck_v4l2_vidioc_g_ctrl, &value, "VIDIOC_G_CTRL")
            return Int64(value.value)
        }
        var single = v4l2_ext_control()
        single.id = control.id
        try extendedControls(gatecheck_v4l2_vidioc_g_ext_ctrls, &single, "VIDIOC_G_EXT_CTRLS")
        return single.value64
    }

    public func setControl(_ control: V4L2ControlInfo, value: Int64) throws(V4L2DeviceError) {
        guard control.type == .integer64 else {
            guard let narrow = Int32(exactly: value) else { throw V4L2DeviceError(call: "VIDIOC_S_CTRL", errno: ERANGE) }
            var request = v4l2_control()
            request.id = control.id
            request.value = narrow
            try ioctl(gatecheck_v4l2_vidioc_s_ctrl, &request, "VIDIOC_S_CTRL")
            return
        }
        var single = v4l2_ext_control()
        single.id = control.id
        single.value64 = value
        try extendedControls(gatecheck_v4l2_vidioc_s_ext_ctrls, &single, "VIDIOC_S_EXT_CTRLS")
    }

    /// One control through the extended-control ioctls (which, unlike G/S_CTRL, carry 64-bit values).
    private func extendedControls(_ request: UInt, _ single: inout v4l2_ext_control, _ name: String) throws(V4L2DeviceError) {
        var controls = v4l2_ext_controls()
        controls.which = UInt32(V4L2_CTRL_WHICH_CUR_VAL)
        controls.count = 1
        let fd = fd
        let outcome: Result<Int32, V4L2DeviceError> = withUnsafeMutablePointer(to: &single) { pointer in
            controls.controls = pointer
            return withUnsafeMutablePointer(to: &controls) { argument in
                // The pointers are valid only inside these closures, so the retrying call runs here.
                do throws(V4L2DeviceError) {
                    return .success(try Self.retrying(name, "camera") { gatecheck_v4l2_ioctl(fd, request, argument) })
                } catch {
                    return .failure(error)
                }
            }
        }
        _ = try outcome.get()
    }

    public func setCrop(_ rectangle: V4L2Rectangle) throws(V4L2DeviceError) -> V4L2Rectangle {
        var selection = v4l2_selection()
        selection.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        selection.target = gatecheck_v4l2_sel_tgt_crop
        selection.r.left = Int32(clamping: rectangle.left)
        selection.r.top = Int32(clamping: rectangle.top)
        selection.r.width = UInt32(clamping: rectangle.width)
        selection.r.height = UInt32(clamping: rectangle.height)
        try ioctl(gatecheck_v4l2_vidioc_s_selection, &selection, "VIDIOC_S_SELECTION")
        return V4L2Rectangle(
            left: Int(selection.r.left), top: Int(selection.r.top),
            width: Int(selection.r.width), height: Int(selection.r.height)
        )
    }

    /// The control structures as Swift sees them, against C's sizeof: (name, Swift size, C size). The ioctl
    /// request codes carry C's size, and the kernel copies that many bytes, so the two must agree.
    static var controlStructureSizes: [(name: String, swift: Int, c: Int)] {
        [
            ("v4l2_queryctrl", MemoryLayout<v4l2_queryctrl>.size, gatecheck_v4l2_sizeof_queryctrl),
            ("v4l2_querymenu", MemoryLayout<v4l2_querymenu>.size, gatecheck_v4l2_sizeof_querymenu),
            ("v4l2_control", MemoryLayout<v4l2_control>.size, gatecheck_v4l2_sizeof_control),
            ("v4l2_ext_control", MemoryLayout<v4l2_ext_control>.size, gatecheck_v4l2_sizeof_ext_control),
            ("v4l2_ext_controls", MemoryLayout<v4l2_ext_controls>.size, gatecheck_v4l2_sizeof_ext_controls),
            ("v4l2_selection", MemoryLayout<v4l2_selection>.size, gatecheck_v4l2_sizeof_selection),
        ]
    }

    // MARK: Helpers

    /// A shim call, retried by the layer when a signal interrupts it; a failure keeps the call's name and errno.
    @discardableResult
    private static func retrying(_ name: String, _ subject: String, _ body: () -> Int32) throws(V4L2DeviceError) -> Int32 {
        do {
            return try SystemCall.retrying(name, subject) { body() }
        } catch {
            throw V4L2DeviceError(call: name, errno: error.errno?.rawValue ?? EIO)
        }
    }

    private func ioctl(_ request: UInt, _ argument: UnsafeMutableRawPointer, _ name: String) throws(V4L2DeviceError) {
        let fd = fd
        try Self.retrying(name, "camera") { gatecheck_v4l2_ioctl(fd, request, argument) }
    }

    /// An enumeration ioctl: false at EINVAL (past the last entry, or the query is not supported).
    private func ioctlUnlessEnd(
        _ request: UInt,
        _ argument: UnsafeMutableRawPointer,
        _ name: String
    ) throws(V4L2DeviceError) -> Bool {
        do {
            try ioctl(request, argument, name)
        } catch where error.errno == EINVAL || error.errno == ENOTTY {
            return false
        }
        return true
    }

    private static func captureBuffer(index: Int) -> v4l2_buffer {
        var buffer = v4l2_buffer()
        buffer.index = UInt32(clamping: index)
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buffer.memory = V4L2_MEMORY_MMAP.rawValue
        return buffer
    }

    /// A fixed-size NUL-padded C string field (a tuple of bytes) as a String.
    private static func string<T>(fromCString field: T) -> String {
        withUnsafeBytes(of: field) { bytes in
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}
