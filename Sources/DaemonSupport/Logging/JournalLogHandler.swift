import Logging
import SystemCalls
import SystemPackage

/// swift-log's handler for the daemon: one line per message on stderr (or any sink), formatted by
/// ``LogLineFormatter`` — `<N>` priorities when stderr is the journal, `level: ` on a terminal.
///
/// Metadata is appended as sorted `key=value` pairs. The daemon never puts anything read from a code into
/// a message or metadata; the formatter's escaping keeps even a hostile string to a single line.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let formatter: LogLineFormatter
    private let sink: @Sendable (String) -> Void

    /// - Parameters:
    ///   - sink: receives each complete line; the default writes it to stderr with one `write(2)`.
    public init(
        level: LogLevel, formatter: LogLineFormatter = .forStandardError(),
        sink: @escaping @Sendable (String) -> Void = JournalLogHandler.writeToStandardError
    ) {
        logLevel = Logger.Level(rawValue: level.rawValue) ?? .info
        self.formatter = formatter
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var text = event.message.description
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        let level = LogLevel(rawValue: event.level.rawValue) ?? .info
        sink(formatter.format(level, text))
    }

    /// One `write(2)` per line, so lines from several threads never interleave mid-line.
    @Sendable public static func writeToStandardError(_ line: String) {
        // stderr gone: nothing sensible left to do with a log line.
        try? Files.writeAll(.standardError, "stderr", Array(line.utf8))
    }
}
