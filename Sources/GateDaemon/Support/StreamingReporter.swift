import Frames

/// Passes frames through and says, once per (re)connection, what the source is streaming: for a camera the
/// device, size and pixel format it negotiated ("/dev/gatecheck-camera 1280x720 YUYV"). Runs on the capture
/// thread, the only thread that may ask the source for its description while it streams.
final class StreamingReporter: FrameSource {
    private let inner: any FrameSource
    private let report: (String) -> Void
    private var reported = false

    init(_ inner: any FrameSource, report: @escaping (String) -> Void) {
        self.inner = inner
        self.report = report
    }

    var description: String { inner.description }

    func nextFrame() throws(FrameSourceError) -> Frame? {
        do {
            let frame = try inner.nextFrame()
            if frame != nil, !reported {
                reported = true
                report(inner.description)
            }
            return frame
        } catch {
            if error.code != .timeout { reported = false }
            throw error
        }
    }

    func close() {
        inner.close()
    }
}
