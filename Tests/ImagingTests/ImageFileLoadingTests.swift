import Foundation
import GateCheckTestSupport
import Imaging
import Testing

/// `ImageFile.load(contentsOf:)`: file-system failures and magic-byte sniffing.
@Suite("ImageFile.load")
struct ImageFileLoadingTests {
    private static func temporaryFile(named name: String, contents: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatecheck-imaging-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    private static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    @Test func missingFileIsUnreadableAndNamesThePath() {
        let path = "/nonexistent/gatecheck/qr.png"
        let error = expectCode(.unreadableFile) { () throws(ImagingError) in try ImageFile.load(contentsOf: path) }
        #expect(error?.description.contains(path) == true)
    }

    @Test func directoryIsUnreadable() {
        expectCode(.unreadableFile) { () throws(ImagingError) in
            try ImageFile.load(contentsOf: FileManager.default.temporaryDirectory.path)
        }
    }

    @Test func formatIsSniffedNotTakenFromTheExtension() throws {
        let path = try Self.temporaryFile(
            named: "really-a-pgm.png", contents: HandBuiltImages.pgm("P5 2 1 255\n", [7, 9]))
        defer { Self.remove(path) }
        let image = try ImageFile.load(contentsOf: path)
        #expect(image.pixels == [7, 9])
    }

    @Test func decodeErrorsFromFilesNameThePath() throws {
        let path = try Self.temporaryFile(named: "truncated.pgm", contents: HandBuiltImages.pgm("P5 9 9 255\n", [1]))
        defer { Self.remove(path) }
        let error = expectCode(.corruptImage) { () throws(ImagingError) in try ImageFile.load(contentsOf: path) }
        #expect(error?.description.contains(path) == true)
    }

    @Test func emptyFileIsUnsupported() throws {
        let path = try Self.temporaryFile(named: "empty.png", contents: [])
        defer { Self.remove(path) }
        expectCode(.unsupportedImageFormat) { () throws(ImagingError) in
            try ImageFile.load(contentsOf: path)
        }
    }

    @Test func fileOverTheLimitIsRefusedUnread() throws {
        let path = try Self.temporaryFile(named: "big.png", contents: [0x89])
        defer { Self.remove(path) }
        // Sparse: costs no disk space.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(ImageFile.maximumFileSize + 1))
        try handle.close()
        expectCode(.fileTooLarge) { () throws(ImagingError) in
            try ImageFile.load(contentsOf: path)
        }
    }
}
