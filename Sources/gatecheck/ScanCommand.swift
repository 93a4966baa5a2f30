import ArgumentParser
import CodeScanning
import FoundationEssentials
import Frames
import GateVocabulary
import Imaging
import JSON
import SystemCalls
import V4L2Capture

/// `gatecheck scan`: decode only. Prints what zbar reads in images (or camera frames), nothing verified.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Decode QR codes in images or camera frames and print their payloads (no verification).",
        discussion: """
            With --json, one object per code: {"input", "payload", "position", "ms"}; a payload that is not \
            valid UTF-8 is given as "payloadBase64" instead, "ms" is the time the scan took on that image and \
            "rung" the step that read it. Each image goes through the scan cascade: zbar on the image as it is \
            (camera frames and images of 1280×720 or more: on a 2× reduced copy first), then on reduced, \
            rectified, deblurred, sharpened and contrast-stretched variants while nothing is read and the time budget allows.
            """
    )

    @Option(name: .customLong("device"), help: "Scan frames from this V4L2 camera (e.g. /dev/gatecheck-camera) until interrupted.")
    var device: String?

    @OptionGroup var cameraConfiguration: CameraConfigurationOption

    @Option(name: .customLong("frames"), help: "With --device: stop after this many frames.")
    var frameLimit: Int?

    @Option(
        name: .customLong("budget-ms"),
        help: "The most time the scan cascade may spend on one image (default: 200 for files; for --device, the configuration's [scan] budget_ms, 30 unless set).")
    var budgetMilliseconds: Int?

    @Flag(name: .customLong("json"), help: "One JSON object per code found.")
    var json = false

    @Argument(help: "Image files (PNG, JPEG, PGM).")
    var images: [String] = []

    func validate() throws {
        guard (device == nil) != images.isEmpty else { throw ValidationError("give image files or --device, not both or neither") }
        if cameraConfiguration.path != nil, device == nil { throw ValidationError("--config applies to --device only") }
        if let budgetMilliseconds, !(1...60_000).contains(budgetMilliseconds) {
            throw ValidationError("--budget-ms must be between 1 and 60000")
        }
    }

    func run() throws {
        let scanner: ScanCascade
        // Files: camera-sized images (HD and up) take the camera order, reduced copy first, as their codes are
        // usually large enough for it; smaller images (printed certificates, screenshots) take the full image
        // first, so that what zbar reads on its own is read exactly as before, at the same cost.
        let largeImages: ScanCascade
        // A camera is read as gatecheckd reads it: its [camera] settings and its [scan] budget.
        let configuration = try device.map { _ in try cameraConfiguration.load() }
        do {
            let zbar = try QRScanner()
            scanner =
                if let configuration {
                    try ScanCascade(
                        scanner: zbar, rungs: ScanCascade.cameraRungs,
                        budget: budgetMilliseconds.map { .milliseconds($0) } ?? configuration.scanBudget)
                } else {
                    try ScanCascade(
                        scanner: zbar, rungs: ScanCascade.stillImageRungs, budget: .milliseconds(budgetMilliseconds ?? 200),
                        learns: false)
                }
            largeImages = try ScanCascade(
                scanner: zbar, rungs: ScanCascade.cameraRungs, budget: .milliseconds(budgetMilliseconds ?? 200), learns: false)
        } catch {
            throw Refusal.usage("cannot start the QR scanner", error, next: "reinstall gatecheck (its zbar library is missing or broken)")
        }
        if let device, let configuration {
            try scanCamera(device, configuration: configuration, scanner: scanner)
            return
        }
        var failures = 0
        for path in images {
            let image: GreyImage
            do {
                image = try ImageFile.load(contentsOf: path)
            } catch {
                printToStandardError("scan: \(Self.sentence(error, path: path))")
                failures += 1
                continue
            }
            let result = (image.width * image.height >= 1280 * 720 ? largeImages : scanner).scan(image)
            let milliseconds = Double(result.elapsed.clampedNanoseconds) / 1e6
            for code in result.codes {
                print(Self.line(code, input: path, milliseconds: milliseconds, rung: result.rung, json: json))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func scanCamera(_ path: String, configuration: DaemonConfiguration, scanner: ScanCascade) throws {
        let source = try CameraSource.open(device: path, configuration: configuration)
        defer {
            // What the camera did meanwhile, for a technician (and the system tests): skipped error frames,
            // timeouts, losses and reconnects.
            let statistics = source.statistics
            printToStandardError(
                "camera \(path): \(statistics.framesDelivered) frames, \(statistics.errorFramesSkipped) error frames skipped, "
                    + "\(statistics.framesDropped) dropped for newer ones, \(statistics.timeouts) timeouts, "
                    + "\(statistics.devicesLost) lost, \(statistics.reconnects) reconnects")
            source.close()
        }
        var frames = 0
        while frameLimit.map({ frames < $0 }) ?? true {
            let frame: Frame
            do {
                guard let next = try source.nextFrame() else { return }
                frame = next
            } catch {
                printToStandardError("\(source.description): \(error); skipping the frame")
                continue
            }
            frames += 1
            let result = scanner.scan(frame.image)
            let milliseconds = MonotonicInstant.now().milliseconds(since: frame.captured)
            for code in result.codes {
                print(Self.line(code, input: "\(path)#\(frame.sequence)", milliseconds: milliseconds, rung: result.rung, json: json))
            }
        }
    }

    /// `<path>: <reason>; <what to do>` for an image that could not be scanned.
    static func sentence(_ error: ImagingError, path: String) -> String {
        let detail = error.detail.hasPrefix(path) ? error.detail : "\(path): \(error.detail)"
        let next =
            switch error.code {
            case .unreadableFile: "check the path and that it is a readable file"
            case .fileTooLarge, .imageTooLarge: "give a smaller image"
            default: "give a PNG, JPEG or PGM image"  // unsupportedImageFormat, corruptImage
            }
        return "\(detail); \(next)"
    }

    static func line(_ code: ScannedCode, input: String, milliseconds: Double, rung: ScanRung? = nil, json: Bool) -> String {
        guard json else { return code.text ?? "base64:" + Data(code.payload).base64EncodedString() }
        var object = JSONObject([
            ("input", .string(input)),
            ("position", .array(code.corners.map { [.integer($0.x), .integer($0.y)] })),
            ("ms", JSONNumber((milliseconds * 1000).rounded() / 1000).map { .number($0) } ?? .null),
        ])
        if let rung { object["rung"] = .string(rung.rawValue) }
        if let text = code.text { object["payload"] = .string(text) } else { object["payloadBase64"] = .string(Data(code.payload).base64EncodedString()) }
        return JSONWriter.string(.object(object), memberOrder: .sortedByUTF16)
    }
}
