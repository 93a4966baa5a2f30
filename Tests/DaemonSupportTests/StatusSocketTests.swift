import Foundation
import GateCheckTestSupport
import Testing

@testable import DaemonSupport

/// The status socket over real Unix sockets in a temporary directory.
@Suite("Status socket")
struct StatusSocketTests {
    /// Content the test can change while the server runs, counting how often the server asked.
    final class Content: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8]
        private var calls = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        func set(_ text: String) { lock.withLock { bytes = Array(text.utf8) } }
        var callCount: Int { lock.withLock { calls } }

        func next() -> [UInt8] {
            lock.withLock {
                calls += 1
                return bytes
            }
        }
    }

    static func fetchText(_ path: String, timeout: Duration = .seconds(5)) throws -> String {
        String(decoding: try StatusSocketClient.fetch(path: path, timeout: timeout), as: UTF8.self)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// A connected client socket the test drives by hand.
    static func rawClient(_ path: String) throws -> Int32 {
        let fd = try UnixStreamSocket.open(path)
        let result = UnixStreamSocket.connect(fd, try UnixStreamSocket.address(path))
        guard result == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
        }
        try UnixStreamSocket.setTimeout(fd, SO_RCVTIMEO, .seconds(5), path)
        return fd
    }

    /// Everything until end of file; nil if the read fails (a reset, or the 5 s timeout).
    static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return bytes }
            if count < 0 { return nil }
            bytes += chunk[0..<count]
        }
    }

    // MARK: Serving

    @Test func servesTheCurrentContentToEachConnection() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let content = Content("one")
        let server = try StatusSocketServer(path: path, content: content.next)
        defer { server.stop() }
        server.start()
        server.start()  // a second start is a no-op

        #expect(try Self.fetchText(path) == "one\n")
        #expect(try Self.fetchText(path) == "one\n")
        content.set(#"{"state":"ready"}"#)
        #expect(try Self.fetchText(path) == "{\"state\":\"ready\"}\n")
        #expect(content.callCount == 3)
    }

    @Test func socketIsGroupReadableOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let server = try StatusSocketServer(path: path) { [] }
        defer { server.stop() }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660)
    }

    @Test func whatTheClientSendsIsIgnored() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let server = try StatusSocketServer(path: path) { Array("counters".utf8) }
        defer { server.stop() }
        server.start()
        let fd = try Self.rawClient(path)
        defer { close(fd) }
        let request = Array("status please\n".utf8)
        #expect(send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count)
        // The reply arrives whole and ends in a clean end of file, not a connection reset.
        #expect(Self.readToEnd(fd) == Array("counters\n".utf8))
    }

    @Test func aClientThatNeverReadsDoesNotBlockTheNext() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        // Far more than a socket buffer holds, so the server's send to the stuck client blocks until
        // its timeout. Later connections get a short reply.
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 16 << 20)
        let content = Content("")
        let server = try StatusSocketServer(path: path) {
            content.next().isEmpty ? big : Array("ok".utf8)
        }
        defer { server.stop() }
        server.start()

        let stuck = try Self.rawClient(path)
        defer { close(stuck) }
        // Accepted in order: the stuck client is served first. Switch the content once it has been asked for.
        let asked = ContinuousClock.now + .seconds(5)
        while content.callCount == 0, ContinuousClock.now < asked { usleep(5_000) }
        content.set("ok")
        #expect(content.callCount == 1)
        #expect(try Self.fetchText(path, timeout: .seconds(10)) == "ok\n")
        #expect(try Self.fetchText(path) == "ok\n")
    }

    @Test func aClientThatHangsUpDoesNotKillTheDaemon() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let content = Content(String(repeating: "y", count: 4 << 20))
        let server = try StatusSocketServer(path: path, content: content.next)
        defer { server.stop() }
        server.start()
        // Without MSG_NOSIGNAL the server's send to this closed socket would raise SIGPIPE and end the test run.
        close(try Self.rawClient(path))
        let asked = ContinuousClock.now + .seconds(5)
        while content.callCount == 0, ContinuousClock.now < asked { usleep(5_000) }
        content.set("still here")
        #expect(try Self.fetchText(path) == "still here\n")
    }

    // MARK: Stopping

    @Test func stopUnlinksTheSocketAndIsIdempotent() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let server = try StatusSocketServer(path: path) { Array("x".utf8) }
        server.start()
        #expect(try Self.fetchText(path) == "x\n")
        let clock = ContinuousClock()
        let stopping = clock.now
        server.stop()
        #expect(clock.now - stopping < .seconds(3))
        #expect(!Self.exists(path))
        server.stop()
        server.start()  // after stop: a no-op, not a revival
        #expect(throws: DaemonSupportError(.systemCall, "")) { try StatusSocketClient.fetch(path: path) }
    }

    @Test func stopWithoutStartUnlinksToo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let server = try StatusSocketServer(path: path) { [] }
        #expect(Self.isSocket(path))
        server.stop()
        #expect(!Self.exists(path))
    }

    @Test func stopLeavesASuccessorsSocketAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let first = try StatusSocketServer(path: path) { Array("first".utf8) }
        // Someone removed the file and a new daemon bound the path: the old one's stop must not unlink it.
        unlink(path)
        let second = try StatusSocketServer(path: path) { Array("second".utf8) }
        defer { second.stop() }
        second.start()
        first.stop()
        #expect(Self.isSocket(path))
        #expect(try Self.fetchText(path) == "second\n")
    }

    // MARK: What is at the path

    @Test func aStaleSocketIsReplaced() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        // A socket file nobody listens on, as a crashed daemon leaves it.
        let fd = try UnixStreamSocket.open(path)
        var address = try UnixStreamSocket.address(path)
        let bound = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
        }
        #expect(bound == 0)
        close(fd)
        #expect(Self.isSocket(path))

        let server = try StatusSocketServer(path: path) { Array("fresh".utf8) }
        defer { server.stop() }
        server.start()
        #expect(try Self.fetchText(path) == "fresh\n")
    }

    @Test func aLiveSocketIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let running = try StatusSocketServer(path: path) { Array("running".utf8) }
        defer { running.stop() }
        running.start()
        #expect(throws: DaemonSupportError(.badSocketPath, "")) {
            _ = try StatusSocketServer(path: path) { [] }
        }
        #expect(try Self.fetchText(path) == "running\n")
    }

    @Test func aRegularFileIsRefusedAndLeftIntact() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("status.sock", "not a socket\n")
        do {
            _ = try StatusSocketServer(path: path) { [] }
            Issue.record("replaced a regular file")
        } catch {
            #expect(error.code == .badSocketPath)
            #expect(error.description == "\(path) exists and is not a socket; not replacing it")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a socket\n")
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: DaemonSupportError(.badSocketPath, "")) {
            _ = try StatusSocketServer(path: directory.path) { [] }
        }
        #expect(FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func badPathsAreRefused() throws {
        let long = "/tmp/" + String(repeating: "x", count: 200) + ".sock"
        for path in [long, "relative/status.sock", ""] {
            #expect(throws: DaemonSupportError(.badSocketPath, "")) { _ = try StatusSocketServer(path: path) { [] } }
            #expect(throws: DaemonSupportError(.badSocketPath, "")) { _ = try StatusSocketClient.fetch(path: path) }
        }
        #expect(!Self.exists(long))
        // The longest path sun_path holds is accepted by the address check.
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        #expect((try? UnixStreamSocket.address("/" + String(repeating: "a", count: capacity - 2))) != nil)
        #expect((try? UnixStreamSocket.address("/" + String(repeating: "a", count: capacity - 1))) == nil)
    }

    // MARK: Client

    @Test func aMissingSocketNamesConnect() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        do {
            _ = try StatusSocketClient.fetch(path: path)
            Issue.record("fetched from nothing")
        } catch {
            #expect(error.code == .systemCall)
            #expect(error.description == "connect(\(path)): No such file or directory")
        }
    }

    @Test func theClientRefusesAReplyOverItsLimit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        let content = Content(String(repeating: "z", count: 999))
        let server = try StatusSocketServer(path: path, content: content.next)
        defer { server.stop() }
        server.start()
        // 999 bytes and the newline: exactly the limit.
        #expect(try StatusSocketClient.fetch(path: path, limit: 1000).count == 1000)
        content.set(String(repeating: "z", count: 1000))
        do {
            _ = try StatusSocketClient.fetch(path: path, limit: 1000)
            Issue.record("accepted 1001 bytes with a limit of 1000")
        } catch {
            #expect(error.code == .badStatus)
            #expect(error.description == "reply from \(path) is longer than 1000 bytes")
        }
    }

    @Test func theClientTimesOutOnASilentServer() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/status.sock"
        // Bound and listening but never accepting (not started): connect succeeds, nothing arrives.
        let server = try StatusSocketServer(path: path) { [] }
        defer { server.stop() }
        do {
            _ = try StatusSocketClient.fetch(path: path, timeout: .milliseconds(300))
            Issue.record("a reply from a server that never accepted")
        } catch {
            #expect(error.code == .systemCall)
            #expect(error.description.hasPrefix("poll(\(path)): no complete reply within"))
        }
    }
}
