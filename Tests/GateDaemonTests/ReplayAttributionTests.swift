import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import Testing

/// A looping replay names, at debug level, the file behind each decision: what `make soak` checks every decision
/// against (Tests/Soak). Runs the daemon in this process on the committed demo frames.
@Suite("Replay attribution", .serialized)
struct ReplayAttributionTests {
    @Test func frameNumbersMapToFilesAcrossLoops() {
        let input = GateOptions.FrameInput.replay(files: ["/r/a.png", "/r/b.png", "/r/c.png"], framesPerSecond: 1, loops: true)
        #expect((0..<7).map { input.replayFile(forFrame: $0) } == ["/r/a.png", "/r/b.png", "/r/c.png", "/r/a.png", "/r/b.png", "/r/c.png", "/r/a.png"])
        #expect(GateOptions.FrameInput.camera.replayFile(forFrame: 0) == nil)
    }

    @Test func everyDecisionOfALoopingReplayNamesTheFileThatGaveIt() async throws {
        let demo = try GateDemo(directory: repositoryRoot + "/demo")
        let root = try TemporaryDirectory("ra", shortPath: true)
        var configuration = try demo.prepare(stateDirectory: root.path + "/state")
        configuration.logLevel = .debug
        configuration.dedupWindow = .zero  // every frame decided, so two loops give two decisions per code
        let logs = Collected<String>()
        var options = GateOptions()
        options.frameInput = .replay(files: demo.cases.map { demo.framesDirectory + "/" + $0.file }, framesPerSecond: 20, loops: true)
        options.notifier = SystemdNotifier(environment: [:])
        options.watchdog = nil
        options.consoleWrite = { _ in }
        options.logLine = { logs.append($0) }
        let daemon = GateDaemon(configuration: configuration, options: options)
        let running = Task { try await daemon.run() }
        let wanted = 2 * demo.cases.count + 1  // past the second loop's start: frame numbers keep rising
        let replayLines = { logs.items.filter { $0.contains("replay: frame ") } }
        // Generous: with the whole suite running, the daemon's task may wait for a free thread.
        #expect(await eventuallyAsync(within: 120) { replayLines().count >= wanted })
        await daemon.stop()
        try await running.value

        let byFile = Dictionary(uniqueKeysWithValues: demo.cases.map { ($0.file, $0) })
        var seenFrames = Set<UInt64>()
        for line in replayLines() {
            // "replay: frame N FILE: verdict=… reason=…"
            let words = line[line.range(of: "replay: frame ")!.upperBound...].split(separator: " ")
            let frame = try #require(UInt64(words[0]), "\(line)")
            let file = String(try #require(words.dropFirst().first).dropLast())
            let expected = try #require(byFile[file], "\(line) names no demo frame")
            #expect(demo.cases[Int(frame) % demo.cases.count].file == file, "\(line)")
            #expect(line.contains(" verdict=\(expected.verdict) "), "\(line)")
            if expected.reason != "-" { #expect(line.contains(" reason=\(expected.reason)"), "\(line)") }
            seenFrames.insert(frame)
        }
        #expect(seenFrames.contains { $0 >= UInt64(demo.cases.count) }, "frames of a second loop were attributed")
        #expect(!logs.items.contains { $0.contains("Demo, ") }, "no holder name in any log line")
    }
}
