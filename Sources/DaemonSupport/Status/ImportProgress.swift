import Glibc
import SystemCalls
import SystemPackage

/// How a trust import from a USB stick is going: what `gatecheck trust import --config …` tells a running
/// gatecheckd so that it shows the import on the lamps.
///
/// The channel is one small file beside the status socket (`/run/gatecheck/import-progress`), replaced
/// atomically by the importer and removed by the daemon once it has shown the outcome. A file, not a
/// socket, because the importer runs as a separate hardened unit and the daemon polls its runtime
/// directory anyway; and because a daemon that starts mid-import still sees it.
public enum ImportProgress: Sendable, Hashable {
    /// The stick is being read and the bundle verified.
    case running
    /// The bundle was installed with this sequence.
    case installed(sequence: UInt64)
    /// The bundle was refused; `code` is the trust store's error code (e.g. `rollback`).
    case refused(code: String)

    /// The file's one line.
    public var line: String {
        switch self {
        case .running: "running"
        case .installed(let sequence): "installed \(sequence)"
        case .refused(let code): "refused \(code)"
        }
    }

    /// Parses a line; nil for anything else. A code is 1…40 lower-case letters, digits or '-', so the file
    /// can never carry free text into the daemon's log.
    public init?(line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        switch (words.first, words.count) {
        case ("running", 1):
            self = .running
        case ("installed", 2):
            guard let sequence = UInt64(words[1]) else { return nil }
            self = .installed(sequence: sequence)
        case ("refused", 2):
            let code = words[1]
            guard Self.isReasonCode(code) else { return nil }
            self = .refused(code: String(code))
        default:
            return nil
        }
    }

    /// A reason code as files shared with the daemon carry them: 1…40 lower-case letters, digits or '-'.
    public static func isReasonCode(_ word: some StringProtocol) -> Bool {
        (1...40).contains(word.count)
            && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// The import-progress file itself.
public struct ImportProgressFile: Sendable, Hashable {
    public static let fileName = "import-progress"
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The file beside the daemon's status socket (both live in its runtime directory).
    public init(besideStatusSocket socketPath: String) {
        let directory = socketPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        path = (directory.isEmpty ? "" : directory) + "/" + Self.fileName
    }

    /// Replaces the file atomically.
    public func write(_ progress: ImportProgress) throws(DaemonSupportError) {
        try TextfileWriter(path: path).write(progress.line + "\n")
    }

    /// The progress and how long ago it was written; nil when there is no file or it holds no valid line.
    public func read() -> (progress: ImportProgress, age: Duration)? {
        guard let bytes = try? SystemCallMapping.readRegularFile(path, limit: 256) else { return nil }
        guard let info = try? Files.status(path, followLinks: false) else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Duration.seconds(Int64(now.tv_sec) - Int64(info.st_mtim.tv_sec))
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        guard let progress = ImportProgress(line: text) else { return nil }
        return (progress, age)
    }

    /// Removes the file; a missing file is fine.
    public func remove() {
        try? Files.remove(path)
    }
}
