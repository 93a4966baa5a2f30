/// Where frames come from: a V4L2 camera, a replay of image files, or a raw frame sequence.
///
/// A source is driven by one thread (hence not Sendable): `nextFrame` blocks for at most the
/// source's timeout and returns the next frame it has. Keeping up with the camera — always
/// working on the newest frame — is the pipeline's job, not the source's.
public protocol FrameSource: AnyObject {
    /// A short description for logs and `gatecheck scan` ("/dev/gatecheck-camera 640x480 GREY").
    var description: String { get }

    /// The next frame; nil when a finite source has no more. Throws when no frame can come:
    /// `timeout` (nothing within the poll timeout), `deviceLost` (unplugged), and so on.
    func nextFrame() throws(FrameSourceError) -> Frame?

    /// Releases the device or files. Idempotent; `nextFrame` may reopen a camera afterwards.
    func close()
}
