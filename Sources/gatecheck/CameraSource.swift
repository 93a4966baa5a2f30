import ArgumentParser
import Frames
import GateVocabulary
import SystemCalls
import V4L2Capture

/// `--config`: the configuration whose `[camera]` settings a command that reads the camera applies.
struct CameraConfigurationOption: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "gatecheckd's configuration, whose [camera] controls and crop are applied when the camera opens (default: /etc/gatecheck/gatecheck.conf when it exists).")
    var path: String?

    /// `--config` when given; else gatecheckd's configuration file when there is one, else the defaults.
    func load() throws -> DaemonConfiguration {
        guard path != nil || Files.exists(DaemonConfiguration.defaultPath) else { return DaemonConfiguration() }
        do {
            return try DaemonConfiguration.load(path: path ?? DaemonConfiguration.defaultPath)
        } catch {
            throw Refusal.usage(
                "--config", error, next: "give gatecheckd's configuration file (default \(DaemonConfiguration.defaultPath))")
        }
    }
}

/// Opens the camera a command reads from as gatecheckd opens it: `[camera]` of gatecheck.conf, its controls
/// and crop applied at open by ``V4L2Camera`` (the daemon's own code path), each setting's outcome on stderr.
enum CameraSource {
    /// The configured camera, or `device` when given, opened and streaming.
    static func open(device: String?, configuration: DaemonConfiguration) throws -> V4L2Camera {
        var cameraConfiguration = configuration.camera
        if let device { cameraConfiguration.path = device }
        let path = cameraConfiguration.path
        let camera = V4L2Camera(configuration: cameraConfiguration, report: { outcome in
            printToStandardError("camera \(path): \(outcome)")
        })
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
