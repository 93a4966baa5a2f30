import Foundation
import SystemCalls
import SystemPackage
import Testing

/// The system-call layer against real files in a temporary directory.
@Suite("System calls")
struct SystemCallsTests {
    /// A fresh directory, removed when the test's value goes away.
    final class Scratch {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("systemcalls-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        func file(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }

        func link(_ name: String, to target: String) throws -> String {
            let link = path + "/" + name
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            return link
        }
    }

    @Test("a failure names the call and the path, with the system's reason")
    func errorNamesCallAndPath() throws {
        let scratch = try Scratch()
        let missing = scratch.path + "/missing.conf"
        let error = #expect(throws: SystemCallError.self) { try Files.readRegularFile(missing, limit: 100) }
        #expect(error?.call == "open")
        #expect(error?.subject == missing)
        #expect(error?.errno == .noSuchFileOrDirectory)
        #expect(error?.description == "open(\(missing)): No such file or directory")
    }

    @Test("the generic retry passes a success through and names a failure")
    func genericRetry() throws {
        #expect(try SystemCall.retrying("getpid", "self") { getpid() } > 0)
        let error = #expect(throws: SystemCallError.self) {
            try SystemCall.retrying("close", "fd -1") { close(-1) }
        }
        #expect(error?.errno == .badFileDescriptor)
        #expect(error?.description == "close(fd -1): Bad file descriptor")
    }

    @Test("a regular file within the limit is read whole")
    func readsRegularFile() throws {
        let scratch = try Scratch()
        let file = try scratch.file("a.txt", "hello\n")
        #expect(try Files.readRegularFile(file, limit: 6) == Array("hello\n".utf8))
    }

    @Test("a file over the limit is refused with its size")
    func refusesOversizeFile() throws {
        let scratch = try Scratch()
        let file = try scratch.file("big.txt", "0123456789")
        let error = #expect(throws: SystemCallError.self) { try Files.readRegularFile(file, limit: 9) }
        #expect(error?.reason == .largerThan(limit: 9, size: 10))
        #expect(error?.description == "fstat(\(file)): 10 bytes exceeds the limit of 9")
    }

    @Test("reading to the end stops one byte past the limit")
    func readToEndIsBounded() throws {
        let scratch = try Scratch()
        let file = try scratch.file("big.txt", String(repeating: "x", count: 100))
        let descriptor = try Files.open(file, .readOnly)
        defer { SystemCall.close(descriptor) }
        let error = #expect(throws: SystemCallError.self) { try Files.readToEnd(descriptor, file, limit: 10) }
        #expect(error?.reason == .largerThan(limit: 10, size: nil))
    }

    @Test("a small file under a huge limit is read without a buffer of the limit's size")
    func hugeLimitCostsNothing() throws {
        let scratch = try Scratch()
        let file = try scratch.file("small.txt", "hello\n")
        // A buffer of the limit's size (1 TiB) could not even be allocated.
        #expect(try Files.readRegularFile(file, limit: 1 << 40) == Array("hello\n".utf8))
    }

    @Test("reading to the end grows the buffer past its expected size, and still stops one byte past the limit")
    func readToEndGrows() throws {
        let scratch = try Scratch()
        let text = String((0..<300_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        let file = try scratch.file("grown.txt", text)
        let descriptor = try Files.open(file, .readOnly)
        defer { SystemCall.close(descriptor) }
        #expect(try Files.readToEnd(descriptor, file, limit: 1 << 40, expected: 1) == Array(text.utf8))
        let again = try Files.open(file, .readOnly)
        defer { SystemCall.close(again) }
        let error = #expect(throws: SystemCallError.self) { try Files.readToEnd(again, file, limit: 200_000, expected: 3) }
        #expect(error?.reason == .largerThan(limit: 200_000, size: nil))
    }

    @Test("directories and FIFOs are refused before anything is read")
    func refusesNonRegularFiles() throws {
        let scratch = try Scratch()
        let fifo = scratch.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [scratch.path, fifo] {
            let error = #expect(throws: SystemCallError.self) { try Files.readRegularFile(path, limit: 100) }
            #expect(error?.reason == .notRegularFile)
            #expect(error?.subject == path)
        }
    }

    @Test("no-follow refuses a symbolic link at the last component")
    func noFollowRefusesSymlink() throws {
        let scratch = try Scratch()
        let target = try scratch.file("real.txt", "x")
        let link = try scratch.link("link.txt", to: target)
        #expect(try Files.readRegularFile(link, limit: 10) == Array("x".utf8))
        let error = #expect(throws: SystemCallError.self) { try Files.readRegularFile(link, limit: 10, options: .noFollow) }
        #expect(error?.call == "open")
        #expect(error?.errno == .tooManySymbolicLinkLevels)
    }

    @Test("the openat walk refuses a symbolic link anywhere in the path")
    func walkRefusesLinkedDirectory() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/real", withIntermediateDirectories: false)
        let file = try scratch.file("real/bundle", "b")
        _ = try scratch.link("linked", to: scratch.path + "/real")

        let descriptor = try Files.openRegularFileWithoutSymlinks(file)
        SystemCall.close(descriptor)

        let error = #expect(throws: SystemCallError.self) { try Files.openRegularFileWithoutSymlinks(scratch.path + "/linked/bundle") }
        #expect(error?.reason == .symbolicLinkInPath(component: "linked"))
        let last = try scratch.link("last", to: file)
        let lastError = #expect(throws: SystemCallError.self) { try Files.openRegularFileWithoutSymlinks(last) }
        #expect(lastError?.errno == .tooManySymbolicLinkLevels)
    }

    @Test("pread of exact ranges, and a short file ends early at the right offset")
    func exactReads() throws {
        let scratch = try Scratch()
        let file = try scratch.file("data", "abcdef")
        let descriptor = try Files.openRegularFile(file)
        defer { SystemCall.close(descriptor) }
        #expect(try Files.read(descriptor, file, offset: 2, count: 3) == Array("cde".utf8))
        let error = #expect(throws: SystemCallError.self) { try Files.read(descriptor, file, offset: 4, count: 5) }
        #expect(error?.reason == .endedEarly(at: 6))
    }

    @Test("an atomic replace: write, fsync, rename, fsync of the directory")
    func atomicReplace() throws {
        let scratch = try Scratch()
        let temporary = scratch.path + "/.tmp"
        let target = try scratch.file("target", "old")
        let descriptor = try Files.open(
            temporary, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: .ownerReadWrite)
        try Files.writeAll(descriptor, temporary, Array("new".utf8))
        try Files.sync(descriptor, temporary)
        SystemCall.close(descriptor)
        try Files.rename(temporary, target)
        try Files.syncDirectory(scratch.path)
        #expect(try Files.readRegularFile(target, limit: 10) == Array("new".utf8))
        #expect(!Files.exists(temporary))
        let error = #expect(throws: SystemCallError.self) { try Files.rename(temporary, target) }
        #expect(error?.subject == "\(temporary) -> \(target)")
    }

    @Test("directories: create is idempotent, listing is sorted without dot entries")
    func directories() throws {
        let scratch = try Scratch()
        let directory = scratch.path + "/d"
        try Files.createDirectory(directory, permissions: .ownerReadWriteExecute)
        try Files.createDirectory(directory, permissions: .ownerReadWriteExecute)
        _ = try scratch.file("d/b", "")
        _ = try scratch.file("d/a", "")
        #expect(try Files.listDirectory(directory) == ["a", "b"])
        let error = #expect(throws: SystemCallError.self) { try Files.listDirectory(scratch.path + "/none") }
        #expect(error?.call == "opendir")
    }

    @Test("poll times out on a silent socket and sees data on a live one")
    func pollTimeoutAndData() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { pair.forEach { SystemCall.close($0) } }
        let started = ContinuousClock.now
        #expect(try Waiting.pollReadable(pair[0], timeout: .milliseconds(50), "pair") == nil)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        _ = try withBytes(of: [1, 2, 3]) { (bytes) throws(SystemCallError) -> Int in try Sockets.send(pair[1], bytes, "pair") }
        #expect(try Waiting.pollReadable(pair[0], timeout: .seconds(5), "pair")?.contains(.readable) == true)
    }

    @Test("sleep waits at least its duration; zero and negative return at once")
    func sleeps() {
        let started = ContinuousClock.now
        Waiting.sleep(.milliseconds(20))
        #expect(ContinuousClock.now - started >= .milliseconds(20))
        Waiting.sleep(.zero)
        Waiting.sleep(.seconds(-1))
    }

    @Test("durations in nanoseconds clamp instead of overflowing")
    func clampedNanoseconds() {
        #expect(Duration.milliseconds(1500).clampedNanoseconds == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).clampedNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).clampedNanoseconds == .min)
        #expect(Duration.milliseconds(-250).seconds == -0.25)
    }
}
