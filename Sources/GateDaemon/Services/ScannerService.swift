import DaemonSupport
import Frames
import GateVocabulary
import Lamps
import Logging
import ScanPipeline
import ServiceLifecycle
import V4L2Capture

/// Capture and scanning: the camera (or a replay) feeds a ``ScanPipeline`` whose decisions and faults go to
/// the gate. Stops first on shutdown, so no verdict is shown after the lamps are told to rest.
struct ScannerService: Service {
    let gate: Gate

    func run() async throws {
        let logger = gate.logger
        let source = StreamingReporter(try makeSource()) { description in
            logger.notice("camera: streaming from \(description)")
        }
        let pipeline = try ScanPipeline(
            source: source,
            scanBudget: gate.configuration.scanBudget,
            dedupWindow: gate.configuration.dedupWindow,
            onEvent: { [gate] event in gate.handle(event) },
            onFrameScanned: { [gate] _ in gate.frameScanned() },
            decide: { [gate] payload, _ in gate.decide(payload: payload) }
        )
        gate.attach(pipeline)
        gate.logger.notice("camera: capturing from \(pipeline.sourceDescription)")
        await withGracefulShutdownHandler {
            await pipeline.run()
        } onGracefulShutdown: {
            pipeline.requestStop()
        }
        gate.detach()
        if Task.isShuttingDownGracefully || Task.isCancelled { return }
        // A finite replay ended by itself. The demo stops, but only once the last verdict has been shown.
        if gate.options.stopWhenFramesEnd {
            try? await Task.sleep(for: max(gate.configuration.timings.pass, gate.configuration.timings.fail) + .milliseconds(100))
            return
        }
        try? await gracefulShutdown()
    }

    private func makeSource() throws -> any FrameSource {
        switch gate.options.frameInput {
        case .camera:
            let configuration = gate.configuration.camera
            let logger = gate.logger
            let path = configuration.path
            // Each outcome once (the camera remembers what it reported), so a reconnecting camera does not repeat it.
            return V4L2Camera(configuration: configuration, report: { outcome in
                if outcome.isSkipped {
                    logger.warning("camera: \(path): \(outcome)")
                } else {
                    logger.notice("camera: \(path): \(outcome)")
                }
            })
        case .replay(let files, let framesPerSecond, let loops):
            return try ReplayFrameSource(files: files, framesPerSecond: framesPerSecond, loops: loops)
        case .custom(let make):
            return make()
        }
    }
}
