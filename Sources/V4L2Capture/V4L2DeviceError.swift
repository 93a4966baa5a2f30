import Glibc

/// A failed system call on a video device: the call's name and errno.
///
/// The ``V4L2Device`` protocol speaks only this error, so a fake device can inject any errno
/// (ENODEV mid-stream, EAGAIN, EBUSY) exactly as the kernel would report it.
public struct V4L2DeviceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The failing call, as the kernel documentation names it: "open", "VIDIOC_DQBUF", "mmap", "poll".
    public let call: String
    /// The errno value the call reported.
    public let errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The device node is gone: unplugged, or its driver unbound.
    public var isDeviceGone: Bool { errno == ENODEV || errno == ENXIO }

    public var description: String { "\(call): \(String(cString: strerror(errno))) (errno \(errno))" }
}
