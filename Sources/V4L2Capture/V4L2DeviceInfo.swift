/// A capture device as `gatecheck camera list` shows it.
public struct V4L2DeviceInfo: Hashable, Sendable {
    /// One pixel format with its sizes.
    public struct Format: Hashable, Sendable {
        public var description: V4L2FormatDescription
        public var sizes: [Size]

        public init(description: V4L2FormatDescription, sizes: [Size]) {
            self.description = description
            self.sizes = sizes
        }
    }

    /// One frame size with its frame intervals (for a range of sizes: those of the largest).
    public struct Size: Hashable, Sendable {
        public var size: V4L2FrameSize
        public var intervals: [V4L2FrameInterval]

        public init(size: V4L2FrameSize, intervals: [V4L2FrameInterval]) {
            self.size = size
            self.intervals = intervals
        }
    }

    public var path: String
    public var capabilities: V4L2Capabilities
    public var formats: [Format]

    public init(path: String, capabilities: V4L2Capabilities, formats: [Format]) {
        self.path = path
        self.capabilities = capabilities
        self.formats = formats
    }

    /// The formats ``V4L2Camera`` would try on this device, best first (empty: unusable).
    public var formatPreference: [V4L2FourCC] {
        V4L2Camera.formatPreference(for: formats.map(\.description))
    }
}

/// The result of scanning a directory for video capture nodes.
public struct V4L2DeviceList: Hashable, Sendable {
    /// A video node that is not listed, and why (not a capture node, permission denied, ...).
    public struct Skipped: Hashable, Sendable {
        public var path: String
        public var reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Capture devices with streaming I/O, in node order (video0, video1, ..., video10).
    public var devices: [V4L2DeviceInfo]
    public var skipped: [Skipped]

    public init(devices: [V4L2DeviceInfo], skipped: [Skipped]) {
        self.devices = devices
        self.skipped = skipped
    }
}
