/// A capture device as `gatecheck camera list` shows it.
public struct V4L2DeviceInfo: Hashable, Sendable {
    /// One pixel format with its sizes.
    public struct Format: Hashable, Sendable {
        public var description: V4L2FormatDescription
        public var sizes: [Size]
    }

    /// One frame size with its frame intervals (for a range of sizes: those of the largest).
    public struct Size: Hashable, Sendable {
        public var size: V4L2FrameSize
        public var intervals: [V4L2FrameInterval]
    }

    public var path: String
    public var capabilities: V4L2Capabilities
    public var formats: [Format]

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
    }

    /// Capture devices with streaming I/O, in node order (video0, video1, ..., video10).
    public var devices: [V4L2DeviceInfo]
    public var skipped: [Skipped]
}
