import Frames
import SystemCalls

/// A filled buffer handed back by `VIDIOC_DQBUF`. It belongs to the caller until queued again.
public struct V4L2DequeuedBuffer: Hashable, Sendable {
    /// The buffer's index, as given to ``V4L2Device/mapBuffer(index:)``.
    public var index: Int
    /// Bytes of frame data in the buffer (`bytesused`; 0 is an empty buffer, which the camera skips).
    public var bytesUsed: Int
    /// The driver flagged the frame as corrupt (`V4L2_BUF_FLAG_ERROR`): skip it, but requeue the buffer.
    public var isError: Bool
    /// Capture time, when the driver stamps buffers on CLOCK_MONOTONIC; nil otherwise.
    public var timestamp: MonotonicInstant?

    public init(index: Int, bytesUsed: Int, isError: Bool = false, timestamp: MonotonicInstant? = nil) {
        self.index = index
        self.bytesUsed = bytesUsed
        self.isError = isError
        self.timestamp = timestamp
    }
}

/// What poll(2) on a streaming capture fd reported.
public enum V4L2PollEvent: Hashable, Sendable {
    /// POLLIN: at least one buffer can be dequeued.
    case readable
    /// Nothing within the timeout: a stalled or dead camera.
    case timeout
    /// POLLERR (or POLLNVAL): the device failed or stopped streaming; with V4L2 usually a disconnect.
    case error
    /// POLLHUP: the device was disconnected.
    case hangup
}
