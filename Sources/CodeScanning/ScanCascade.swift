import Imaging
import SystemCalls

/// zbar fed in a cascade of pictures of one frame, within a time budget per frame: the one scan stage of
/// `gatecheck scan` and the daemon's pipeline.
///
/// The rungs (``ScanRung``) run in order until one reads a code or the budget is spent:
/// - a 2× reduced copy first (a quarter of zbar's work, and the averaging halves blur and noise);
/// - that copy sharpened (as cheap, and it reads most blurred codes: `gatecheck-bench --scan`);
/// - the code's outline, from its finder patterns, rectified onto an upright square (tilted codes, which zbar
///   alone does not read, and rotated or small ones for less than the full frame);
/// - the reduced copy sharpened along a motion blur, when the frame shows one;
/// - the full frame when none of these finds anything;
/// - then the full frame sharpened, and its contrast stretched.
///
/// **Budget.** The rungs up to and including ``ScanRung/full`` always run, so the cascade never reads less
/// than zbar on the frame alone would (on a slow CPU, skipping the full frame because it costs more than the
/// budget would mean never reading a small code at all). Before each further rung the cascade predicts its
/// cost from what that rung has cost recently (a moving average per rung) and stops if the frame's elapsed
/// time plus that prediction would exceed ``budget``. So the budget limits the rescue rungs; the default
/// (30 ms) keeps up with a 30 fps camera on this machine, and a slower CPU simply rescues less.
///
/// **Learning.** The rung that read the last code goes first on the next frame (the others keep their
/// order): a gate whose camera sees blurred codes starts at the sharpened rung instead of paying for the
/// plain ones first. Any later success moves the start again. So that a start learned from one holder's
/// phone does not stick for good, every ``explorationInterval``-th frame after it runs in the configured
/// order (cheapest first); if the cheap rung reads, the start moves back to it.
///
/// **Positions** are always in frame coordinates: corners found on a reduced copy are scaled back up.
///
/// Not thread-safe: one cascade per thread, like the ``QRScanner`` it owns.
public final class ScanCascade {
    /// What one frame's cascade did.
    public struct Result: Sendable {
        /// One rung tried on this frame.
        public struct Attempt: Sendable, Hashable {
            public let rung: ScanRung
            /// Preparing the picture plus zbar's scan.
            public let duration: Duration
            /// How many codes the rung read.
            public let codeCount: Int
        }

        /// The codes of the first rung that read any, positions in frame coordinates; empty when none did.
        public let codes: [ScannedCode]
        /// The rung that read ``codes``, nil when nothing was read.
        public let rung: ScanRung?
        /// Every rung tried, in order.
        public let attempts: [Attempt]
        /// Whether rungs were left untried because the budget was spent.
        public let budgetExhausted: Bool
        /// The whole cascade's time on this frame.
        public let elapsed: Duration
    }

    /// The default rung order for camera frames: cheapest first (the reduced rungs cost about a quarter of the
    /// full frame; docs/benchmarks.md has each rung's cost and reads).
    public static let cameraRungs: [ScanRung] = [
        .reduced, .reducedSharpened, .rectified, .reducedDeblurred, .full, .sharpened, .stretched,
    ]
    /// The default order for still images (`gatecheck scan FILE`): the full image first, so what zbar reads
    /// on its own is read exactly as before, at the same cost; the other rungs only rescue misses.
    public static let stillImageRungs: [ScanRung] = [
        .full, .reduced, .reducedSharpened, .rectified, .reducedDeblurred, .sharpened, .stretched,
    ]
    /// Keeps up with a 30 fps camera.
    public static let defaultBudget: Duration = .milliseconds(30)

    /// The most time one frame may take; the rungs up to the full frame run regardless.
    public let budget: Duration
    /// The rungs in their configured order (before learning).
    public let rungs: [ScanRung]
    /// The rung that read the last code, tried first next time; nil until something was read (always nil
    /// when the cascade was made with `learns: false`).
    public private(set) var learnedRung: ScanRung?
    /// Whether the rung that read the last code goes first next time.
    public let learns: Bool
    /// With a learned start, every this many frames run in the configured order instead.
    public static let explorationInterval = 4

    /// Frames scanned since the learned rung last read, for the exploration frames.
    private var framesSinceLearned = 0

    private let scanner: QRScanner
    private let clock: MonotonicClock
    /// Recent cost per rung in nanoseconds (exponential moving average); absent until the rung has run.
    private var estimates: [ScanRung: Double] = [:]

    /// - Parameters:
    ///   - scanner: the zbar scanner every rung uses; nil creates one.
    ///   - rungs: the order to try (duplicates are dropped); empty means ``cameraRungs``.
    ///   - budget: the most time one frame may take (the rungs up to the full frame always run).
    ///   - learns: whether the rung that read the last code goes first next time: yes for a camera's frames,
    ///     which resemble each other; no for unrelated still images.
    ///   - clock: reads the time for the budget; tests inject one.
    /// - Throws: `scannerFailure` when zbar cannot be set up.
    public init(
        scanner: QRScanner? = nil, rungs: [ScanRung] = ScanCascade.cameraRungs, budget: Duration = ScanCascade.defaultBudget,
        learns: Bool = true, clock: MonotonicClock = .system
    ) throws(CodeScanningError) {
        self.learns = learns
        if let scanner {
            self.scanner = scanner
        } else {
            self.scanner = try QRScanner()
        }
        var unique: [ScanRung] = []
        for rung in rungs where !unique.contains(rung) { unique.append(rung) }
        self.rungs = unique.isEmpty ? Self.cameraRungs : unique
        self.budget = budget
        self.clock = clock
    }

    /// The order the next frame will be tried in: the learned rung first, then the others in configured order.
    public var nextOrder: [ScanRung] {
        guard let learnedRung, rungs.contains(learnedRung), (framesSinceLearned + 1) % Self.explorationInterval != 0
        else { return rungs }
        return [learnedRung] + rungs.filter { $0 != learnedRung }
    }

    /// Runs the cascade over one frame.
    public func scan(_ frame: GreyImage) -> Result {
        let start = clock.now()
        let budgetNanoseconds = Double(max(budget.clampedNanoseconds, 0))
        var reducedCopy: GreyImage?
        var attempts: [Result.Attempt] = []
        var exhausted = false
        var before = start
        let order = nextOrder
        framesSinceLearned += 1
        // The budget applies once zbar has seen the frame as captured (or after the first rung, without one).
        var budgeted = !order.contains(.full)
        for rung in order {
            if !attempts.isEmpty, budgeted {
                let spent = Double(before.nanoseconds &- start.nanoseconds)
                if spent + (estimates[rung] ?? 0) > budgetNanoseconds {
                    exhausted = true
                    break
                }
            }
            let picture = rung.picture(of: frame) {
                if let reducedCopy { return reducedCopy }
                let made = frame.halved()
                reducedCopy = made
                return made
            }
            let codes = picture.map { scanner.scan($0.image) } ?? []
            let after = clock.now()
            let cost = after.duration(since: before)
            attempts.append(Result.Attempt(rung: rung, duration: cost, codeCount: codes.count))
            let nanoseconds = Double(cost.clampedNanoseconds)
            estimates[rung] = estimates[rung].map { 0.75 * $0 + 0.25 * nanoseconds } ?? nanoseconds
            before = after
            if rung == .full { budgeted = true }
            if !codes.isEmpty {
                if learns, rung != learnedRung {
                    learnedRung = rung
                    framesSinceLearned = 0
                }
                return Result(
                    codes: codes.map { Self.toFrame($0, mapping: picture?.mapping ?? .identity) }, rung: rung, attempts: attempts,
                    budgetExhausted: false, elapsed: after.duration(since: start))
            }
        }
        return Result(codes: [], rung: nil, attempts: attempts, budgetExhausted: exhausted, elapsed: before.duration(since: start))
    }

    /// Forgets the learned rung and the cost estimates (e.g. after the camera's settings changed).
    public func reset() {
        learnedRung = nil
        framesSinceLearned = 0
        estimates = [:]
    }

    /// A code found on a rung's picture, with its corners in frame coordinates.
    static func toFrame(_ code: ScannedCode, mapping: ScanRung.FrameMapping) -> ScannedCode {
        let corners: [ScannedCode.Point]
        switch mapping {
        case .identity:
            return code
        case .scaled(let scale):
            corners = code.corners.map { ScannedCode.Point(x: $0.x * scale, y: $0.y * scale) }
        case .projective(let toFrame):
            // zbar's corners are pixel indices; map their centres and take the pixel that holds the image.
            corners = code.corners.map { point in
                guard let mapped = toFrame.apply(Double(point.x) + 0.5, Double(point.y) + 0.5), mapped.x.isFinite,
                    mapped.y.isFinite
                else { return point }
                // Clamped before the conversion, which would trap outside Int's range.
                let limit = Double(1 << 30)
                return ScannedCode.Point(
                    x: Int(min(max(mapped.x, -limit), limit).rounded(.down)), y: Int(min(max(mapped.y, -limit), limit).rounded(.down)))
            }
        }
        return ScannedCode(payload: code.payload, corners: corners)
    }
}
