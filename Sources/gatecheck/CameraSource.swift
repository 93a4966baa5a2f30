import Frames
import V4L2Capture

/// Opens the camera a command reads from.
enum CameraSource {
    static func open(_ path: String) throws -> V4L2Camera {
        let camera = V4L2Camera(path: path)
        do {
            try camera.open()
        } catch {
            throw UsageError("\(path): \(error)")
        }
        return camera
    }
}
