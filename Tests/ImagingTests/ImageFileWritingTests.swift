import Foundation
import GateCheckTestSupport
import Imaging
import Testing

@Suite("Writing PNG files")
struct ImageFileWritingTests {
    /// Encoded by libpng and decoded by Imaging's own decoder: the same pixels, row padding dropped.
    @Test(arguments: [(1, 1, 1), (64, 48, 64), (37, 19, 45), (1280, 720, 1280)])
    func roundTripsThroughTheDecoder(width: Int, height: Int, stride: Int) throws {
        let image = try GreyImageStatisticsTests.randomImage(width: width, height: height, stride: stride, seed: UInt64(width + height))
        let bytes = try ImageFile.encodePNG(image)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let decoded = try ImageFile.decode(bytes)
        #expect(decoded.width == width && decoded.height == height)
        for y in 0..<height {
            let row = y * stride
            #expect(Array(decoded.pixels[(y * width)..<(y * width + width)]) == Array(image.pixels[row..<(row + width)]))
        }
        // 8-bit greyscale: IHDR's bit depth and colour type.
        #expect(bytes[24] == 8 && bytes[25] == 0)
    }

    @Test func createWritesANewFileOnlyItsOwnerMayRead() throws {
        let directory = try TemporaryDirectory("png-write")
        let path = directory.file("snapshot.png")
        let image = try GreyImageStatisticsTests.randomImage(width: 40, height: 30, stride: 40, seed: 3)
        try ImageFile.createPNG(image, atPath: path)
        #expect(try ImageFile.load(contentsOf: path).pixels == image.pixels)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func createRefusesAnythingAtThePath() throws {
        let directory = try TemporaryDirectory("png-write")
        let image = try GreyImage(width: 2, height: 2, pixels: [0, 1, 2, 3])
        let existing = directory.file("existing.png")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        let refused = expectCode(.fileExists) { () throws(ImagingError) in try ImageFile.createPNG(image, atPath: existing) }
        #expect(refused?.detail.contains(existing) == true)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        // A symbolic link, even one pointing nowhere, is not followed.
        let target = directory.file("target.png")
        let link = directory.file("link.png")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        expectCode(.fileExists) { () throws(ImagingError) in try ImageFile.createPNG(image, atPath: link) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func createInAMissingFolderIsUnwritable() throws {
        let directory = try TemporaryDirectory("png-write")
        let image = try GreyImage(width: 2, height: 2, pixels: [0, 1, 2, 3])
        expectCode(.unwritableFile) { () throws(ImagingError) in try ImageFile.createPNG(image, atPath: directory.file("missing/x.png")) }
    }
}
