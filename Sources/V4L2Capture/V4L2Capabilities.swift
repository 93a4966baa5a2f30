import CV4L2

/// What `VIDIOC_QUERYCAP` reports about a device node.
public struct V4L2Capabilities: Hashable, Sendable {
    /// The kernel driver ("uvcvideo", "vivid", "bcm2835-codec").
    public var driver: String
    /// The device's name ("HD Pro Webcam C920").
    public var card: String
    /// Where it is attached ("usb-0000:01:00.0-1.3").
    public var busInfo: String
    /// The capabilities of this node (`device_caps`, or `capabilities` for drivers that do not set
    /// `V4L2_CAP_DEVICE_CAPS`), a mask of `V4L2_CAP_*` bits.
    public var deviceCapabilities: UInt32

    public init(driver: String, card: String, busInfo: String, deviceCapabilities: UInt32) {
        self.driver = driver
        self.card = card
        self.busInfo = busInfo
        self.deviceCapabilities = deviceCapabilities
    }

    /// `V4L2_CAP_VIDEO_CAPTURE`: a single-planar capture node.
    public static let videoCaptureBit = UInt32(V4L2_CAP_VIDEO_CAPTURE)
    /// `V4L2_CAP_STREAMING`: supports mmap streaming I/O.
    public static let streamingBit = UInt32(V4L2_CAP_STREAMING)

    /// The node captures video (single-planar API, which UVC cameras and libv4l2 use).
    public var canCapture: Bool { deviceCapabilities & Self.videoCaptureBit != 0 }
    /// The node supports streaming I/O (mmap buffers).
    public var canStream: Bool { deviceCapabilities & Self.streamingBit != 0 }
}
