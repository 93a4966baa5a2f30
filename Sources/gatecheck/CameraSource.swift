import Frames
import V4L2Capture

/// Opens the camera a command reads from.
enum CameraSource {
    static func open(_ path: String) throws -> V4L2Camera {
        let camera = V4L2Camera(path: path)
        do {
            try camera.open()
        } catch {
            let detail = error.detail.hasPrefix(path + ": ") ? String(error.detail.dropFirst(path.count + 2)) : error.detail
            throw UsageError(
                "cannot open the camera \(path) (\(error.code): \(detail)); check the path with `gatecheck camera list`")
        }
        return camera
    }
}
