import CodeScanning
import Frames
import Imaging
import SystemCalls

/// What `gatecheck camera aim` shows a technician mounting a gate, over one interval of frames.
///
/// Only counts and image figures: never a payload or anything derived from one (a payload carries a
/// traveller's name), only that a code was read and which ``ScanRung`` read it.
public struct AimReading: Hashable, Sendable, CustomStringConvertible {
    /// Frames measured in the interval.
    public var frames: Int
    /// The interval's length.
    public var elapsed: Duration
    /// The mean of each frame's ``GreyImage/laplacianVariance()``: higher is sharper.
    public var sharpness: Double
    /// The mean grey level, 0 to 255.
    public var meanLevel: Double
    /// The share of pixels at or below 2 or at or above 253, 0 to 1.
    public var clippedShare: Double
    /// Frames in which the scan cascade read a code.
    public var framesWithCode: Int
    /// The rung that read the interval's latest code.
    public var rung: ScanRung?

    public var framesPerSecond: Double {
        let seconds = Double(elapsed.clampedNanoseconds) / 1e9
        return seconds > 0 ? Double(frames) / seconds : 0
    }

    /// `29.8 fps  sharpness 412  brightness 131  clipped 0.4%  code read in 27/30 frames (reduced)`.
    public var description: String {
        let codes =
            if framesWithCode > 0, let rung {
                "code read in \(framesWithCode)/\(frames) frames (\(rung))"
            } else {
                "no code read (0/\(frames) frames)"
            }
        return "\(Self.format(framesPerSecond, decimals: 1)) fps  sharpness \(Self.format(sharpness, decimals: 0))  "
            + "brightness \(Self.format(meanLevel, decimals: 0))  clipped \(Self.format(clippedShare * 100, decimals: 1))%  \(codes)"
    }

    /// Fixed decimals without Foundation's formatter.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard decimals > 0 else { return "\(scaled)" }
        let whole = scaled / Int(scale)
        let fraction = String(abs(scaled) % Int(scale))
        let sign = scaled < 0 && whole == 0 ? "-" : ""
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}

/// Collects frames into one ``AimReading`` per interval: each frame is scanned by the one ``ScanCascade``
/// (as the daemon and `gatecheck scan --device` scan) and measured (sharpness, exposure).
public final class AimMeter {
    /// The sums of one interval so far.
    private struct Tally {
        var frames = 0
        var sharpnessSum = 0.0
        var levelSum = 0
        var clipped = 0
        var pixels = 0
        var framesWithCode = 0
        var rung: ScanRung?

        func reading(elapsed: Duration) -> AimReading {
            AimReading(
                frames: frames, elapsed: elapsed, sharpness: frames == 0 ? 0 : sharpnessSum / Double(frames),
                meanLevel: pixels == 0 ? 0 : Double(levelSum) / Double(pixels),
                clippedShare: pixels == 0 ? 0 : Double(clipped) / Double(pixels), framesWithCode: framesWithCode, rung: rung)
        }
    }

    public let interval: Duration
    private let scanner: ScanCascade
    private var started: MonotonicInstant?
    private var tally = Tally()

    public init(scanner: ScanCascade, interval: Duration = .seconds(1)) {
        self.scanner = scanner
        self.interval = interval
    }

    /// Starts the first interval (else the first frame starts it).
    public func start(at now: MonotonicInstant) {
        started = now
    }

    /// Scans and measures `frame`, which arrived at `now`; once `interval` has passed since the interval began,
    /// returns its reading, and the next interval begins at `now`.
    public func add(_ frame: Frame, at now: MonotonicInstant) -> AimReading? {
        if started == nil { started = now }
        let image = frame.image
        let result = scanner.scan(image)
        if !result.codes.isEmpty {
            tally.framesWithCode += 1
            tally.rung = result.rung
        }
        let exposure = image.exposure()
        tally.frames += 1
        tally.sharpnessSum += image.laplacianVariance()
        tally.levelSum += exposure.levelSum
        tally.clipped += exposure.darkClipped + exposure.brightClipped
        tally.pixels += exposure.pixelCount
        guard let started, now.duration(since: started) >= interval else { return nil }
        return finish(at: now)
    }

    /// The reading of the frames since the last one, if any (at the end of a run); the next interval begins at `now`.
    public func finish(at now: MonotonicInstant) -> AimReading? {
        guard let started, tally.frames > 0 else { return nil }
        let reading = tally.reading(elapsed: now.duration(since: started))
        self.started = now
        tally = Tally()
        return reading
    }

    /// Reads `source` until `frameLimit` frames or `duration` have passed, or `shouldStop` says so (SIGINT),
    /// handing each reading to `report`, the last one partial. A frame the source fails to deliver goes to
    /// `skipped` and the run goes on (a camera reopens by itself); a finite source that ends ends the run.
    public func run(
        _ source: any FrameSource, frameLimit: Int? = nil, duration: Duration? = nil, clock: MonotonicClock = .system,
        shouldStop: () -> Bool = { false }, skipped: (FrameSourceError) -> Void = { _ in }, report: (AimReading) -> Void
    ) {
        let start = clock.now()
        self.start(at: start)
        var measured = 0
        while !shouldStop(), frameLimit.map({ measured < $0 }) ?? true,
            duration.map({ clock.now().duration(since: start) < $0 }) ?? true
        {
            let frame: Frame
            do {
                guard let next = try source.nextFrame() else { break }
                frame = next
            } catch {
                skipped(error)
                continue
            }
            measured += 1
            if let reading = add(frame, at: clock.now()) { report(reading) }
        }
        if let reading = finish(at: clock.now()) { report(reading) }
    }
}
