import Foundation
import GateCheckTestSupport
import Testing

@testable import DaemonSupport

/// Journal detection, priority prefixes, one message per line, base64 and log levels. (The verdict line is in
/// GateVocabularyTests.)
@Suite("Log lines")
struct LogLineTests {
    @Test func journalStreamMatchesOnlyTheSameDeviceAndInode() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("one", "")
        let second = try directory.write("two", "")
        let fd = open(first, O_RDONLY)
        defer { close(fd) }
        var info = stat()
        #expect(stat(first, &info) == 0)
        var other = stat()
        #expect(stat(second, &other) == 0)

        #expect(JournalStream.isJournal(fd: fd, environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]))
        #expect(!JournalStream.isJournal(fd: fd, environment: ["JOURNAL_STREAM": "\(other.st_dev):\(other.st_ino)"]))
        #expect(!JournalStream.isJournal(fd: fd, environment: ["JOURNAL_STREAM": "\(info.st_dev &+ 1):\(info.st_ino)"]))
        #expect(!JournalStream.isJournal(fd: fd, environment: [:]))
        #expect(!JournalStream.isJournal(fd: fd, environment: ["JOURNAL_STREAM": "\(info.st_dev)"]))
        #expect(!JournalStream.isJournal(fd: fd, environment: ["JOURNAL_STREAM": "a:b"]))
        #expect(!JournalStream.isJournal(fd: -1, environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]))
    }

    @Test func journalPriorities() {
        let journal = LogLineFormatter(style: .journal)
        #expect(journal.format(.error, "camera lost") == "<3>camera lost\n")
        #expect(journal.format(.warning, "w") == "<4>w\n")
        #expect(journal.format(.info, "i") == "<6>i\n")
        #expect(journal.format(.debug, "d") == "<7>d\n")
        #expect(journal.format(.trace, "t") == "<7>t\n")
        #expect(journal.format(.notice, "n") == "<5>n\n")
        #expect(journal.format(.critical, "c") == "<2>c\n")
    }

    @Test func plainText() {
        let plain = LogLineFormatter(style: .plain)
        #expect(plain.format(.warning, "trust is stale") == "warning: trust is stale\n")
    }

    /// A newline inside a message must not start a second journal entry at the default priority.
    @Test func oneMessageIsOneLine() {
        let line = LogLineFormatter(style: .journal).format(.error, "a\nb\rc\u{1B}[31m\u{2028}d")
        #expect(line == "<3>a\\nb\\rc\\u{1b}[31m\\u{2028}d\n")
        #expect(line.filter { $0 == "\n" }.count == 1)
    }

    @Test func logLevelsOrder() {
        #expect(LogLevel.trace < LogLevel.debug)
        #expect(LogLevel.warning < LogLevel.error)
        #expect(LogLevel.error < LogLevel.critical)
    }
}
