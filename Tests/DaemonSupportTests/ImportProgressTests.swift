import DaemonSupport
import Foundation
import GateCheckTestSupport
import Testing

@Suite("Import progress file")
struct ImportProgressTests {
    @Test(arguments: [ImportProgress.running, .installed(sequence: 42), .refused(code: "rollback")])
    func linesRoundTrip(_ progress: ImportProgress) {
        #expect(ImportProgress(line: progress.line) == progress)
    }

    @Test(arguments: ["", "running now", "installed", "installed -1", "installed 1 2", "refused", "refused Bad", "refused a b",
                      "refused " + String(repeating: "x", count: 41), "refused name=Anna", "done"])
    func anythingElseIsRefused(_ line: String) {
        #expect(ImportProgress(line: line) == nil)
    }

    @Test func theFileSitsBesideTheStatusSocketAndIsReadBack() throws {
        let directory = try TemporaryDirectory()
        let file = ImportProgressFile(besideStatusSocket: directory.path + "/status.sock")
        #expect(file.path == directory.path + "/import-progress")
        #expect(file.read() == nil)
        try file.write(.installed(sequence: 7))
        let read = try #require(file.read())
        #expect(read.progress == .installed(sequence: 7))
        #expect(read.age < .seconds(5))
        try Data("refused Anna Smith\n".utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(file.read() == nil, "free text is never accepted")
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
