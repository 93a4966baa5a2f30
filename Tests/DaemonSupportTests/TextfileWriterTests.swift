import Foundation
import GateCheckTestSupport
import Testing

@testable import DaemonSupport

/// Atomic replacement of node_exporter textfiles.
@Suite("Textfile writer")
struct TextfileWriterTests {
    static func contents(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func writesTheContentReadableByOthers() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/gatecheck.prom"
        // node_exporter runs as another user. (The umask is process-wide, so a parallel test cannot set
        // a strict one here; the writer sets the mode explicitly either way.)
        try TextfileWriter(path: path).write("gatecheck_scans_total 1\n")
        #expect(try Self.read(path) == "gatecheck_scans_total 1\n")
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG)
        #expect(info.st_mode & 0o777 == 0o644)
        #expect(try Self.contents(directory) == ["gatecheck.prom"])
    }

    @Test func replacesAnExistingFileAndLeavesNoTemporary() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("gatecheck.prom", "old content that is longer than the new\n")
        let writer = TextfileWriter(path: path)
        try writer.write("new\n")
        #expect(try Self.read(path) == "new\n")
        try writer.write(bytes: Array("newer\n".utf8))
        #expect(try Self.read(path) == "newer\n")
        try writer.write("")
        #expect(try Self.read(path) == "")
        #expect(try Self.contents(directory) == ["gatecheck.prom"])
    }

    @Test func writesLargeContentWhole() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/big.prom"
        let text = String(repeating: "gatecheck_fails_total{reason=\"expired\"} 12345\n", count: 20_000)
        try TextfileWriter(path: path).write(text)
        #expect(try Self.read(path) == text)
    }

    @Test func aSymlinkAtTheTargetIsReplacedNotFollowed() throws {
        let directory = try TemporaryDirectory()
        let elsewhere = try directory.write("elsewhere.txt", "must not change\n")
        let path = directory.path + "/gatecheck.prom"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        try TextfileWriter(path: path).write("metrics\n")
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG)
        #expect(try Self.read(path) == "metrics\n")
        #expect(try Self.read(elsewhere) == "must not change\n")
        #expect(try Self.contents(directory) == ["elsewhere.txt", "gatecheck.prom"])
    }

    @Test func aMissingDirectoryFailsNamingOpen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/missing/gatecheck.prom"
        do {
            try TextfileWriter(path: path).write("x\n")
            Issue.record("wrote into a missing directory")
        } catch {
            #expect(error.code == .systemCall)
            #expect(error.description.hasPrefix("open(\(directory.path)/missing/.gatecheck.prom."))
            #expect(error.description.hasSuffix(".tmp): No such file or directory"))
        }
        #expect(try Self.contents(directory) == [])
    }

    @Test func aFailedRenameRemovesTheTemporary() throws {
        let directory = try TemporaryDirectory()
        // A non-empty directory at the target: rename(2) cannot replace it.
        let path = directory.path + "/gatecheck.prom"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        do {
            try TextfileWriter(path: path).write("x\n")
            Issue.record("renamed a file over a directory")
        } catch {
            #expect(error.code == .systemCall)
            #expect(error.description.hasPrefix("rename("))
            #expect(error.description.contains(" -> \(path))"))
        }
        #expect(try Self.contents(directory) == ["gatecheck.prom"])
    }

    @Test func theTemporarySitsBesideTheTargetAndIsNotProm() {
        let temporary = TextfileWriter(path: "/var/lib/node_exporter/gatecheck.prom").temporaryPath()
        #expect(temporary.hasPrefix("/var/lib/node_exporter/.gatecheck.prom."))
        #expect(temporary.hasSuffix(".tmp"))
        #expect(TextfileWriter(path: "local.prom").temporaryPath().hasPrefix(".local.prom."))
        #expect(
            TextfileWriter(path: "/x/a.prom").temporaryPath() != TextfileWriter(path: "/x/a.prom").temporaryPath())
    }
}
