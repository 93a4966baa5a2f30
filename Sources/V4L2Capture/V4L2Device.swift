/// The system calls GateCheck's camera code makes on one V4L2 device node, as typed Swift calls.
///
/// ``LibV4L2Device`` implements them with libv4l2; tests implement them with a scripted fake that
/// plays format lists, EAGAIN, error-flagged frames, timeouts and ENODEV. The protocol is
/// deliberately the ioctl vocabulary (not a higher-level "camera" API) so that the fake exercises
/// the real ordering and error handling of ``V4L2Camera``.
///
/// One instance has at most one node open at a time. Every call except ``open(path:)`` requires an
/// open node. Errors carry the failing call and errno; `EAGAIN` from `VIDIOC_DQBUF` is not an error
/// but a nil result.
public protocol V4L2Device: AnyObject {
    /// Opens `path` read-write, non-blocking and close-on-exec (`O_RDWR|O_NONBLOCK|O_CLOEXEC`).
    /// Fails with ENOTTY when the path is not a V4L2 device node.
    func open(path: String) throws(V4L2DeviceError)

    /// Closes the node. The fd is released even when this reports an error.
    func close() throws(V4L2DeviceError)

    /// `VIDIOC_QUERYCAP`.
    func queryCapabilities() throws(V4L2DeviceError) -> V4L2Capabilities

    /// `VIDIOC_ENUM_FMT` for video capture, at most `limit` entries.
    func enumerateFormats(limit: Int) throws(V4L2DeviceError) -> [V4L2FormatDescription]

    /// `VIDIOC_ENUM_FRAMESIZES` for one pixel format, at most `limit` entries (empty if not supported).
    func enumerateFrameSizes(pixelFormat: V4L2FourCC, limit: Int) throws(V4L2DeviceError) -> [V4L2FrameSize]

    /// `VIDIOC_ENUM_FRAMEINTERVALS` for one format and size, at most `limit` entries (empty if not supported).
    func enumerateFrameIntervals(
        pixelFormat: V4L2FourCC,
        width: Int,
        height: Int,
        limit: Int
    ) throws(V4L2DeviceError) -> [V4L2FrameInterval]

    /// `VIDIOC_S_FMT` for video capture, returning what the driver settled on.
    func setFormat(_ request: V4L2FormatRequest) throws(V4L2DeviceError) -> V4L2NegotiatedFormat

    /// `VIDIOC_REQBUFS` with `V4L2_MEMORY_MMAP`: returns how many buffers the driver granted.
    func requestBuffers(count: Int) throws(V4L2DeviceError) -> Int

    /// `VIDIOC_QUERYBUF` then mmap of buffer `index`: the frame memory, readable until unmapped.
    func mapBuffer(index: Int) throws(V4L2DeviceError) -> UnsafeRawBufferPointer

    /// munmap of a buffer returned by ``mapBuffer(index:)``.
    func unmapBuffer(_ buffer: UnsafeRawBufferPointer) throws(V4L2DeviceError)

    /// `VIDIOC_QBUF`: hands buffer `index` to the driver to fill.
    func queueBuffer(index: Int) throws(V4L2DeviceError)

    /// `VIDIOC_DQBUF`: the oldest filled buffer, or nil when none is ready (EAGAIN).
    func dequeueBuffer() throws(V4L2DeviceError) -> V4L2DequeuedBuffer?

    /// `VIDIOC_STREAMON`.
    func streamOn() throws(V4L2DeviceError)

    /// `VIDIOC_STREAMOFF`: stops capture and takes back every queued buffer.
    func streamOff() throws(V4L2DeviceError)

    /// poll(2) for input, waiting at most `timeoutMilliseconds`.
    func poll(timeoutMilliseconds: Int) throws(V4L2DeviceError) -> V4L2PollEvent

    // MARK: Controls and cropping

    /// `VIDIOC_QUERYCTRL` with `V4L2_CTRL_FLAG_NEXT_CTRL`, from the first control on, at most `limit`
    /// controls (class headings included); the entries of menu controls by `VIDIOC_QUERYMENU`, at most
    /// `menuLimit` per control. Empty when the driver has no controls.
    func enumerateControls(limit: Int, menuLimit: Int) throws(V4L2DeviceError) -> [V4L2ControlInfo]

    /// The current value of a control with an integer value: `VIDIOC_G_CTRL`, or `VIDIOC_G_EXT_CTRLS` for
    /// 64-bit controls.
    func getControl(_ control: V4L2ControlInfo) throws(V4L2DeviceError) -> Int64

    /// Sets a control with an integer value: `VIDIOC_S_CTRL`, or `VIDIOC_S_EXT_CTRLS` for 64-bit controls.
    /// The driver may round to the control's step; read it back with ``getControl(_:)``.
    func setControl(_ control: V4L2ControlInfo, value: Int64) throws(V4L2DeviceError)

    /// `VIDIOC_S_SELECTION` with `V4L2_SEL_TGT_CROP` for video capture, returning the rectangle the driver
    /// settled on. EINVAL or ENOTTY: the device cannot crop. Only valid before buffers are requested.
    func setCrop(_ rectangle: V4L2Rectangle) throws(V4L2DeviceError) -> V4L2Rectangle
}
