import Imaging
import SystemCalls

/// Frames read back to back from one file, for benchmarks and soak tests: as fast as they can be read.
///
/// Two layouts: concatenated Y800 frames of a fixed size (each frame `bytesPerRow * height` bytes, as V4L2's
/// `sizeimage` for GREY), or a binary PGM stream (`P5` images back to back, as `cat *.pgm` and
/// `ffmpeg -f image2pipe -vcodec pgm` write them; sizes may change between images). Every frame size is
/// checked against Imaging's image limits (8192 pixels a side, 40 megapixels) before its memory is
/// allocated, and a truncated last frame throws `unreadableInput` instead of producing a short frame.
public final class RawFrameSequence: FrameSource {
    /// How the file's bytes are laid out.
    public enum Layout: Sendable, Hashable {
        /// Fixed-size 8-bit luminance frames; `bytesPerRow` nil means tightly packed.
        case y800(width: Int, height: Int, bytesPerRow: Int? = nil)
        /// Binary PGM images (`P5`, maxval <= 255) back to back; whitespace between images is allowed.
        case pgmStream
    }

    /// Largest frame read from a file, padding included: twice the 40-megapixel image limit, so an absurd
    /// stride cannot make one frame allocate gigabytes.
    public static let maximumFrameBytes = 80_000_000

    public let description: String
    public let layout: Layout

    private let reader: FileByteReader
    private let loops: Bool
    private let clock: MonotonicClock
    private var nextSequence: UInt64 = 0
    /// Frames read in the current pass, to tell an empty file from the end of a loop pass.
    private var framesThisPass = 0

    /// Opens `path` for reading frames in `layout`.
    ///
    /// - Parameters:
    ///   - loops: start again at the first frame after the last one.
    ///   - clock: stamps each frame's capture time.
    /// - Throws: `unreadableInput` if the file cannot be opened or the Y800 geometry is invalid or too large.
    public init(path: String, layout: Layout, loops: Bool = false, clock: MonotonicClock = .system) throws(FrameSourceError) {
        if case .y800(let width, let height, let bytesPerRow) = layout {
            try Self.checkGeometry(width: width, height: height, bytesPerRow: bytesPerRow ?? width, in: path)
        }
        reader = try FileByteReader(path: path)
        self.layout = layout
        self.loops = loops
        self.clock = clock
        switch layout {
        case .y800(let width, let height, let bytesPerRow):
            description = "raw Y800 \(width)x\(height)\(bytesPerRow.map { " stride \($0)" } ?? "") from \(path)"
        case .pgmStream:
            description = "PGM stream from \(path)"
        }
    }

    /// The next frame; nil at the end of the file (unless looping) or after ``close()``.
    public func nextFrame() throws(FrameSourceError) -> Frame? {
        guard !reader.isClosed else { return nil }
        var frame = try readFrame()
        if frame == nil, loops, framesThisPass > 0 {
            try reader.rewind()
            framesThisPass = 0
            frame = try readFrame()
        }
        return frame
    }

    /// Closes the file; later calls to ``nextFrame()`` return nil. Idempotent.
    public func close() {
        reader.close()
    }

    private func readFrame() throws(FrameSourceError) -> Frame? {
        let image: GreyImage?
        switch layout {
        case .y800(let width, let height, let bytesPerRow):
            image = try readY800(width: width, height: height, bytesPerRow: bytesPerRow ?? width)
        case .pgmStream:
            image = try readPGM()
        }
        guard let image else { return nil }
        framesThisPass += 1
        defer { nextSequence += 1 }
        return Frame(image: image, sequence: nextSequence, captured: clock.now())
    }

    private func readY800(width: Int, height: Int, bytesPerRow: Int) throws(FrameSourceError) -> GreyImage? {
        let count = bytesPerRow * height  // checked against the limits in init; cannot overflow
        let pixels = try reader.read(count: count)
        if pixels.isEmpty { return nil }
        guard pixels.count == count else {
            throw FrameSourceError(
                .unreadableInput,
                "\(reader.path): frame \(framesThisPass) is truncated: \(pixels.count) of \(count) bytes"
            )
        }
        return try makeImage(width: width, height: height, bytesPerRow: bytesPerRow, pixels: pixels)
    }

    private func readPGM() throws(FrameSourceError) -> GreyImage? {
        var header = PGMHeaderScanner(reader: reader, frameIndex: framesThisPass)
        guard try header.skipToMagic() else { return nil }
        let width = try header.number(named: "width")
        let height = try header.number(named: "height")
        let maxval = try header.number(named: "maxval")
        try header.consumeSeparator()
        guard maxval > 0, maxval <= 255 else {
            throw header.corrupt("maxval \(maxval) is not in 1...255")
        }
        try Self.checkGeometry(width: width, height: height, bytesPerRow: width, in: reader.path)
        var pixels = try reader.read(count: width * height)
        guard pixels.count == width * height else {
            throw header.corrupt("raster is truncated: \(pixels.count) of \(width * height) bytes")
        }
        if maxval != 255 {
            for index in pixels.indices {
                pixels[index] = UInt8(min(255, (Int(pixels[index]) * 255 + maxval / 2) / maxval))
            }
        }
        return try makeImage(width: width, height: height, bytesPerRow: width, pixels: pixels)
    }

    private func makeImage(width: Int, height: Int, bytesPerRow: Int, pixels: [UInt8]) throws(FrameSourceError) -> GreyImage {
        do {
            return try GreyImage(width: width, height: height, bytesPerRow: bytesPerRow, pixels: pixels)
        } catch {
            throw FrameSourceError(.unreadableInput, "\(reader.path): \(error.description)")
        }
    }

    /// Applies GreyImage's size limits before anything is allocated, by asking GreyImage itself with an empty
    /// buffer (so the limits' wording is Imaging's): a geometry within limits fails only for lack of bytes.
    static func checkGeometry(width: Int, height: Int, bytesPerRow: Int, in path: String) throws(FrameSourceError) {
        guard width > 0, height > 0, bytesPerRow >= width,
            bytesPerRow <= maximumFrameBytes / height
        else {
            throw FrameSourceError(
                .unreadableInput, "\(path): frame geometry \(width)x\(height) stride \(bytesPerRow) is invalid"
            )
        }
        do {
            _ = try GreyImage(width: width, height: height, bytesPerRow: bytesPerRow, pixels: [])
        } catch where error.code == .corruptImage {
            return  // within limits; only the (deliberately missing) pixels were refused
        } catch {
            throw FrameSourceError(.unreadableInput, "\(path): \(error.description)")
        }
    }
}
