import Imaging
import SystemCalls

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Replays still images (PNG, JPEG, PGM) as if a camera delivered them: at a fixed frame rate, once or in a loop.
///
/// Each delivered frame gets the next sequence number and a fresh timestamp from the clock, so the pipeline
/// measures latency exactly as it does for a camera. Images are decoded when they are due, not up front:
/// a folder of hundreds of photos costs one image of memory. Pacing waits on the injected ``MonotonicClock``;
/// a source that falls behind delivers at once and does not burst to catch up, as a camera would.
public final class ReplayFrameSource: FrameSource {
    /// The file extensions a folder replay picks up (case-insensitive). Decoding still sniffs magic bytes.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "pgm", "pnm"]

    public let description: String
    /// The files in replay order.
    public let files: [String]

    private let loops: Bool
    private let skipUnreadable: Bool
    private let interval: Duration?
    private let clock: MonotonicClock
    private var index = 0
    private var nextSequence: UInt64 = 0
    private var nextDue: MonotonicInstant?
    private var closed = false

    /// Replays the given files in the given order.
    ///
    /// - Parameters:
    ///   - framesPerSecond: delivery rate; `nil` delivers as fast as the images decode (benchmarks).
    ///   - loops: start again after the last file instead of ending.
    ///   - skipUnreadable: skip files that fail to load instead of throwing `unreadableInput`.
    ///   - clock: time source for pacing and frame timestamps.
    /// - Throws: `unreadableInput` if `files` is empty or the frame rate is not positive and finite.
    public init(
        files: [String], framesPerSecond: Double? = 10, loops: Bool = false, skipUnreadable: Bool = false,
        clock: MonotonicClock = .system
    ) throws(FrameSourceError) {
        guard !files.isEmpty else {
            throw FrameSourceError(.unreadableInput, "no image files to replay")
        }
        if let framesPerSecond {
            guard framesPerSecond.isFinite, framesPerSecond > 0 else {
                throw FrameSourceError(.unreadableInput, "frame rate \(framesPerSecond) is not positive")
            }
            interval = .nanoseconds(Int64((1e9 / framesPerSecond).rounded()))
        } else {
            interval = nil
        }
        self.files = files
        self.loops = loops
        self.skipUnreadable = skipUnreadable
        self.clock = clock
        let rate = framesPerSecond.map { "\($0) fps" } ?? "unpaced"
        description = "replay of \(files.count) image\(files.count == 1 ? "" : "s") at \(rate)\(loops ? ", looping" : "")"
    }

    /// Replays every image in `folder` (see ``imageExtensions``; hidden files are ignored), sorted by name.
    ///
    /// - Throws: `unreadableInput` if the folder cannot be listed or holds no image.
    public convenience init(
        folder: String, framesPerSecond: Double? = 10, loops: Bool = false, skipUnreadable: Bool = false,
        clock: MonotonicClock = .system
    ) throws(FrameSourceError) {
        try self.init(
            files: try Self.imageFiles(inFolder: folder), framesPerSecond: framesPerSecond, loops: loops,
            skipUnreadable: skipUnreadable, clock: clock
        )
    }

    /// The image files directly inside `folder`, sorted by name (byte order, so `frame-010` follows `frame-009`).
    public static func imageFiles(inFolder folder: String) throws(FrameSourceError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw FrameSourceError(.unreadableInput, "\(folder): cannot list the folder")
        }
        let images = names.filter { name in
            guard !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { return false }
            return imageExtensions.contains(name[name.index(after: dot)...].lowercased())
        }
        guard !images.isEmpty else {
            throw FrameSourceError(.unreadableInput, "\(folder): no PNG, JPEG or PGM files")
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return images.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { prefix + $0 }
    }

    /// The next image, paced to the frame rate; nil after the last file (unless looping) or after ``close()``.
    ///
    /// A file that cannot be loaded throws `unreadableInput` naming it; the next call continues with the
    /// following file. With `skipUnreadable`, such files are passed over, and a whole pass without a readable
    /// file ends the replay rather than spinning.
    public func nextFrame() throws(FrameSourceError) -> Frame? {
        var consecutiveFailures = 0
        while !closed {
            if index == files.count {
                guard loops else { return nil }
                index = 0
            }
            let path = files[index]
            index += 1
            let image: GreyImage
            do {
                image = try ImageFile.load(contentsOf: path)
            } catch {
                guard skipUnreadable else {
                    throw FrameSourceError(.unreadableInput, error.description)
                }
                consecutiveFailures += 1
                if consecutiveFailures >= files.count { return nil }
                continue
            }
            waitUntilDue()
            let frame = Frame(image: image, sequence: nextSequence, captured: clock.now())
            nextSequence += 1
            return frame
        }
        return nil
    }

    /// Ends the replay: later calls to ``nextFrame()`` return nil. No file stays open between frames.
    public func close() {
        closed = true
    }

    private func waitUntilDue() {
        guard let interval else { return }
        let now = clock.now()
        if let due = nextDue, now < due {
            clock.sleep(due.duration(since: now))
            nextDue = due.advanced(by: interval)
        } else {
            // First frame, or running late: deliver now and pace from here.
            nextDue = now.advanced(by: interval)
        }
    }
}
