import Frames
import GateCheckTestSupport
import Imaging
import SystemCalls
import Testing

/// Replay of image folders and raw frame files.
@Suite("Replay and raw frame sources")
struct FrameSourceTests {
    static func grey(_ width: Int, _ height: Int, fill: (Int, Int) -> UInt8, bytesPerRow: Int? = nil) -> GreyImage {
        let stride = bytesPerRow ?? width
        var pixels = [UInt8](repeating: 0xEE, count: stride * height)
        for y in 0..<height {
            for x in 0..<width { pixels[y * stride + x] = fill(x, y) }
        }
        do { return try GreyImage(width: width, height: height, bytesPerRow: stride, pixels: pixels) } catch {
            fatalError("\(error)")
        }
    }

    static func threeImageFolder() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        for (index, name) in ["c.pgm", "b.pgm", "a.pgm"].enumerated() {
            _ = try folder.write(name, Fixtures.pgm(grey(4, 3) { _, _ in UInt8(10 * (3 - index)) }))
        }
        _ = try folder.write("notes.txt", Array("not an image".utf8))
        _ = try folder.write(".hidden.pgm", Array("junk".utf8))
        return folder
    }

    @Test func replayOnceInNameOrderThenEnds() throws {
        let folder = try Self.threeImageFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let source = try ReplayFrameSource(folder: folder.path, clock: clock.clock)
        var frames: [Frame] = []
        while let frame = try source.nextFrame() { frames.append(frame) }
        #expect(frames.map { $0.image.pixels[0] } == [10, 20, 30])  // a, b, c
        #expect(frames.map(\.sequence) == [0, 1, 2])
        #expect(try source.nextFrame() == nil)
        #expect(source.files.map { $0.split(separator: "/").last.map(String.init) } == ["a.pgm", "b.pgm", "c.pgm"])
    }

    @Test func replayPacesWithTheInjectedSleeperAndLoops() throws {
        let folder = try Self.threeImageFolder()
        defer { folder.remove() }
        let clock = ManualClock()
        let source = try ReplayFrameSource(folder: folder.path, framesPerSecond: 10, loops: true, clock: clock.clock)
        var frames: [Frame] = []
        for _ in 0..<7 {
            frames.append(try #require(try source.nextFrame()))
        }
        #expect(frames.map { $0.image.pixels[0] } == [10, 20, 30, 10, 20, 30, 10])
        #expect(frames.map(\.sequence) == Array(0..<7))
        // The first frame comes at once, then one every 100 ms; no real time passed.
        #expect(clock.sleeps == Array(repeating: .milliseconds(100), count: 6))
        let stamps = frames.map { $0.captured.nanoseconds - frames[0].captured.nanoseconds }
        #expect(stamps == (0..<7).map { UInt64($0) * 100_000_000 })

        // Running late (a slow consumer): the next frame comes at once, without a burst afterwards.
        clock.advance(by: .milliseconds(450))
        _ = try source.nextFrame()
        #expect(clock.sleeps.count == 6)
        _ = try source.nextFrame()
        #expect(clock.sleeps.last == .milliseconds(100))

        source.close()
        #expect(try source.nextFrame() == nil)
    }

    @Test func unreadableFileThrowsNamingItOrIsSkipped() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("1.pgm", Fixtures.pgm(Self.grey(4, 3) { _, _ in 1 }))
        let bad = try folder.write("2.pgm", Array("P5\n4 3\n255\nxx".utf8))  // truncated raster
        _ = try folder.write("3.pgm", Fixtures.pgm(Self.grey(4, 3) { _, _ in 3 }))

        let strict = try ReplayFrameSource(folder: folder.path, framesPerSecond: nil)
        #expect(try strict.nextFrame()?.image.pixels[0] == 1)
        let error = #expect(throws: FrameSourceError.self) { try strict.nextFrame() }
        #expect(error?.code == .unreadableInput)
        #expect(error?.detail.contains(bad) == true)
        let next = try strict.nextFrame()  // carries on with the following file
        #expect(next?.image.pixels[0] == 3)
        #expect(next?.sequence == 1)

        let lenient = try ReplayFrameSource(folder: folder.path, framesPerSecond: nil, skipUnreadable: true)
        var seen: [UInt8] = []
        while let frame = try lenient.nextFrame() { seen.append(frame.image.pixels[0]) }
        #expect(seen == [1, 3])
    }

    @Test func loopingOverOnlyUnreadableFilesEndsInsteadOfSpinning() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("x.png", Array("not a png".utf8))
        let source = try ReplayFrameSource(folder: folder.path, framesPerSecond: nil, loops: true, skipUnreadable: true)
        #expect(try source.nextFrame() == nil)
    }

    @Test func replayRefusesEmptyFoldersAndBadRates() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: FrameSourceError(.unreadableInput, "")) { try ReplayFrameSource(folder: folder.path) }
        #expect(throws: FrameSourceError(.unreadableInput, "")) { try ReplayFrameSource(folder: folder.path + "/missing") }
        let file = try folder.write("a.pgm", Fixtures.pgm(Self.grey(2, 2) { _, _ in 0 }))
        #expect(throws: FrameSourceError(.unreadableInput, "")) { try ReplayFrameSource(files: [file], framesPerSecond: 0) }
    }

    @Test func rawY800WithStrideReadsBackAndLoops() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let images = (0..<3).map { index in Self.grey(5, 4, fill: { x, y in UInt8(index * 50 + y * 5 + x) }, bytesPerRow: 8) }
        let file = try folder.write("frames.y800", images.flatMap(\.pixels))
        let clock = ManualClock()
        let source = try RawFrameSequence(path: file, layout: .y800(width: 5, height: 4, bytesPerRow: 8), clock: clock.clock)
        var frames: [Frame] = []
        while let frame = try source.nextFrame() { frames.append(frame) }
        #expect(frames.count == 3)
        #expect(frames.map(\.sequence) == [0, 1, 2])
        #expect(frames.map { Fixtures.packed($0.image) } == images.map { Fixtures.packed($0) })
        #expect(frames.allSatisfy { $0.image.bytesPerRow == 8 })

        let looping = try RawFrameSequence(path: file, layout: .y800(width: 5, height: 4, bytesPerRow: 8), loops: true)
        let firsts = try (0..<7).map { _ in try #require(try looping.nextFrame()).image.pixels[0] }
        #expect(firsts == [0, 50, 100, 0, 50, 100, 0])
        looping.close()
        #expect(try looping.nextFrame() == nil)
    }

    @Test func truncatedRawFileThrowsInsteadOfCrashing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = try folder.write("short.y800", [UInt8](repeating: 7, count: 2 * 20 + 13))
        let source = try RawFrameSequence(path: file, layout: .y800(width: 5, height: 4))
        #expect(try source.nextFrame() != nil)
        #expect(try source.nextFrame() != nil)
        let error = #expect(throws: FrameSourceError.self) { try source.nextFrame() }
        #expect(error?.code == .unreadableInput)
        #expect(error?.detail.contains("truncated") == true)
        #expect(try source.nextFrame() == nil)

        let empty = try folder.write("empty.y800", [])
        #expect(try RawFrameSequence(path: empty, layout: .y800(width: 5, height: 4), loops: true).nextFrame() == nil)
    }

    @Test func rawGeometryIsBoundedBeforeAnythingIsAllocated() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = try folder.write("f.y800", [1, 2, 3])
        for layout: RawFrameSequence.Layout in [
            .y800(width: 9000, height: 10), .y800(width: 8000, height: 8000), .y800(width: 0, height: 4),
            .y800(width: 4, height: 4, bytesPerRow: 3), .y800(width: 4, height: 8000, bytesPerRow: Int.max / 2),
        ] {
            #expect(throws: FrameSourceError(.unreadableInput, "")) { try RawFrameSequence(path: file, layout: layout) }
        }
        #expect(throws: FrameSourceError(.unreadableInput, "")) {
            try RawFrameSequence(path: folder.path + "/missing", layout: .pgmStream)
        }
        #expect(throws: FrameSourceError(.unreadableInput, "")) { try RawFrameSequence(path: folder.path, layout: .pgmStream) }
    }

    @Test func pgmStreamReadsImagesOfDifferentSizes() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let first = Self.grey(3, 2) { x, y in UInt8(x + 10 * y) }
        let second = Self.grey(2, 5) { x, y in UInt8(200 - x - y) }
        // Back to back, one with a comment and a newline in between; a maxval-15 image is scaled to 0...255.
        var bytes = Fixtures.pgm(first)
        bytes += Array("\nP5 # comment\n2 5\n255\n".utf8) + second.pixels
        bytes += Array("P5 1 1 15\n".utf8) + [15]
        let file = try folder.write("stream.pgm", bytes)
        let source = try RawFrameSequence(path: file, layout: .pgmStream)
        let a = try #require(try source.nextFrame())
        let b = try #require(try source.nextFrame())
        let c = try #require(try source.nextFrame())
        #expect(try source.nextFrame() == nil)
        #expect(a.image.pixels == first.pixels && a.image.width == 3)
        #expect(b.image.pixels == second.pixels && b.image.height == 5)
        #expect(c.image.pixels == [255])
        #expect([a, b, c].map(\.sequence) == [0, 1, 2])
    }

    @Test func brokenPGMStreamsThrow() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cases: [[UInt8]] = [
            Fixtures.pgm(Self.grey(3, 2) { _, _ in 0 }) + Array("P5\n3 2\n255\n12".utf8),  // truncated raster
            Fixtures.pgm(Self.grey(3, 2) { _, _ in 0 }) + Array("P5\n3".utf8),  // truncated header
            Array("P6\n1 1\n255\n000".utf8),  // colour
            Array("P5\n1 1\n65535\n00".utf8),  // 16-bit
            Array("P5\n9000 9000\n255\n".utf8),  // too large
            Array("P5\n".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: 10_000),  // endless comment
        ]
        for (index, bytes) in cases.enumerated() {
            let file = try folder.write("case\(index).pgm", bytes)
            let source = try RawFrameSequence(path: file, layout: .pgmStream)
            #expect(throws: FrameSourceError(.unreadableInput, ""), "case \(index)") {
                while try source.nextFrame() != nil {}
            }
        }
    }
}
