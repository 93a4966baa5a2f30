import ArgumentParser
import CodeScanning
import Frames
import GateVocabulary
import Glibc
import Imaging
import ScanPipeline
import SystemCalls
import V4L2Capture

/// The camera a capturing `camera` subcommand opens: gatecheckd's, with its `[camera]` settings.
struct CameraSelection: ParsableArguments {
    @Option(name: .customLong("device"), help: "The V4L2 camera (default: [camera] device of the configuration, /dev/gatecheck-camera).")
    var device: String?

    @OptionGroup var configuration: CameraConfigurationOption
}

/// `gatecheck camera snapshot`: one frame to a new PNG file, on request only.
struct CameraSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Save one camera frame as an 8-bit grey PNG (to check how the camera sees the gate).",
        discussion: """
            Opens the camera as gatecheckd does ([camera] controls and crop applied), lets it settle for a few \
            frames and writes the newest as a new file: an existing file is never overwritten. Nothing is saved \
            unless asked for like this, and nothing of the picture is logged. Exit status 1 when the camera \
            delivers no frame or the file cannot be created.
            """
    )

    /// Frames read and dropped first, so that exposure and the controls set at open have settled.
    static let warmUpFrames = 5

    @OptionGroup var camera: CameraSelection

    @Argument(help: "The PNG file to create.")
    var file: String

    func run() throws {
        // Refused before the camera is opened; the exclusive create below is what guarantees it.
        if (try? Files.status(file, followLinks: false)) != nil {
            printToStandardError("camera snapshot: \(file) exists already; give a new file name (nothing is overwritten)")
            throw ExitCode(1)
        }
        let configuration = try camera.configuration.load()
        let source = try CameraSource.open(device: camera.device, configuration: configuration)
        let frame: Frame?
        do {
            frame = try source.snapshot(afterWarmUp: Self.warmUpFrames)
        } catch {
            source.close()
            printToStandardError("camera snapshot: \(source.configuration.path): no frame (\(error)); check the camera with `gatecheck camera list`")
            throw ExitCode(1)
        }
        let description = source.description
        source.close()
        guard let frame else {
            printToStandardError("camera snapshot: \(description) delivered no frame; check the camera with `gatecheck camera list`")
            throw ExitCode(1)
        }
        do {
            try ImageFile.createPNG(frame.image, atPath: file)
        } catch {
            printToStandardError("camera snapshot: \(error.detail)")
            throw ExitCode(1)
        }
        print("\(file): \(frame.image.width)x\(frame.image.height) grey PNG from \(description)")
    }
}

/// `gatecheck camera aim`: a live line of what matters when mounting the camera.
struct CameraAimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aim",
        abstract: "Show frame rate, sharpness, brightness, clipping and code reads live, to aim and focus the camera.",
        discussion: """
            One line per second (rewritten in place on a terminal): frames per second; sharpness, the variance of \
            the Laplacian of the grey frame (higher is sharper); mean brightness (0-255) and the share of clipped \
            pixels (at most 2 or at least 253); in how many of the second's frames the scan cascade read a code, \
            and the rung that read it. No payload is ever shown. Ends on Ctrl-C, or after --seconds or --frames. \
            docs/daemon.md ("The camera") gives the figures to aim for.
            """
    )

    @OptionGroup var camera: CameraSelection

    @Option(name: .customLong("seconds"), help: "Stop after this many seconds.")
    var seconds: Int?

    @Option(name: .customLong("frames"), help: "Stop after this many frames.")
    var frames: Int?

    func validate() throws {
        guard seconds == nil || frames == nil else { throw ValidationError("give --seconds or --frames, not both") }
        if let seconds, seconds < 1 { throw ValidationError("--seconds must be at least 1") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
    }

    func run() throws {
        let configuration = try camera.configuration.load()
        let scanner: ScanCascade
        do {
            scanner = try ScanCascade(scanner: QRScanner(), rungs: ScanCascade.cameraRungs, budget: configuration.scanBudget)
        } catch {
            throw Refusal.usage("cannot start the QR scanner", error, next: "reinstall gatecheck (its zbar library is missing or broken)")
        }
        let source = try CameraSource.open(device: camera.device, configuration: configuration)
        defer { source.close() }
        let live = isatty(STDOUT_FILENO) == 1
        InterruptRequest.catchSignal()
        printToStandardError("camera aim: \(source.description); Ctrl-C ends")
        AimMeter(scanner: scanner).run(
            source, frameLimit: frames, duration: seconds.map { .seconds($0) }, shouldStop: { InterruptRequest.isPending },
            skipped: { error in
                if live { print() }
                printToStandardError("\(source.configuration.path): \(error); going on")
            },
            report: { reading in
                // On a terminal the line is rewritten in place (and cleared to its end); piped, one line each.
                print(live ? "\r\(reading)\u{1B}[K" : "\(reading)", terminator: live ? "" : "\n")
                fflush(nil)
            })
        if live { print() }
    }
}
