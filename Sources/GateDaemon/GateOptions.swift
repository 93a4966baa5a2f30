import DaemonSupport
import FoundationEssentials
import Frames
import GateVocabulary
import Lamps
import ScanPipeline
import SystemCalls

/// How one daemon process runs, beyond its configuration file: where frames come from, what it tells systemd,
/// and the few seams tests and the demo use. `gatecheckd` fills this from its flags.
public struct GateOptions: Sendable {
    /// Where frames come from.
    public enum FrameInput: Sendable {
        /// The camera named by the configuration (`[camera] device`).
        case camera
        /// Recorded images, replayed as if a camera delivered them.
        case replay(files: [String], framesPerSecond: Double, loops: Bool)
        /// Any source, made when the scanner starts (tests step frames through one).
        case custom(@Sendable () -> any FrameSource)

        /// A replay of every image in `folder`, sorted by name.
        public static func replay(folder: String, framesPerSecond: Double, loops: Bool) throws(GateDaemonError) -> FrameInput {
            do {
                return .replay(files: try ReplayFrameSource.imageFiles(inFolder: folder), framesPerSecond: framesPerSecond, loops: loops)
            } catch {
                throw GateDaemonError("replay: \(error)")
            }
        }

        /// The file a replayed frame was read from; nil for other inputs. A replay numbers the frames it delivers
        /// from 0 in file order, looping, so frame n is file n mod count, provided every file loads (one that does
        /// not is a source fault and delivers no frame, which shifts the count).
        public func replayFile(forFrame sequence: UInt64) -> String? {
            guard case .replay(let files, _, _) = self, !files.isEmpty else { return nil }
            return files[Int(sequence % UInt64(files.count))]
        }
    }

    /// The file SIGHUP reloads; nil when the configuration did not come from a file (demo).
    public var configurationPath: String?
    public var frameInput: FrameInput = .camera
    /// Stop the daemon once a finite replay has been scanned (the demo); otherwise it idles until SIGTERM.
    public var stopWhenFramesEnd = false
    public var notifier: SystemdNotifier = .current()
    /// The watchdog systemd armed; nil sends no `WATCHDOG=1`.
    public var watchdog: SystemdWatchdog? = .current()
    /// Where log lines go (each a complete line, journald-formatted when stderr is the journal).
    public var logLine: @Sendable (String) -> Void = JournalLogHandler.writeToStandardError
    /// Where console lamps print.
    public var consoleWrite: @Sendable (String) -> Void = { print($0) }
    /// Wraps each lamp output (tests record the sequence of levels).
    public var wrapOutput: (@Sendable (LampRole, any Lamps.LampOutput) -> any Lamps.LampOutput)?
    /// Called after every decision, once lamps are set (the demo narrates; tests wait on it).
    public var onDecision: (@Sendable (GateDecision) -> Void)?
    /// Called on the scan thread for every scanned frame (tests pace their sources with it).
    public var onFrameScanned: (@Sendable () -> Void)?
    /// The wall clock for verification and trust age; tests may move it.
    public var wallClock: WallClock = .system
    /// The monotonic clock for uptime and the watchdog's frame timing.
    public var monotonicClock: MonotonicClock = .system

    public init() {}
}

/// One decision as the gate acted on it: the holder-free verdict line, and which frame it came from.
public struct GateDecision: Sendable {
    public let line: VerdictLine
    /// The frame's sequence number (for a replay: the index of the file, when each is delivered once).
    public let frameSequence: UInt64?
}
