/// Turns a log message into one line for stderr. Under systemd the line starts with the sd-daemon(3)
/// priority (`<3>` err, `<4>` warning, `<6>` info, `<7>` debug) and journald files it at that level and
/// adds its own timestamp; on a terminal it reads `warning: message`.
///
/// Every control character is escaped, so one message is always one line: a newline would otherwise
/// start a second journal entry at the default priority.
public struct LogLineFormatter: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// `<N>message` for journald.
        case journal
        /// `level: message` for a terminal or a file.
        case plain
    }

    public let style: Style

    public init(style: Style) {
        self.style = style
    }

    /// Journal style when stderr is the journal stream, plain otherwise.
    public static func forStandardError() -> LogLineFormatter {
        LogLineFormatter(style: JournalStream.isStandardErrorJournal() ? .journal : .plain)
    }

    /// The line, including its trailing newline.
    public func format(_ level: LogLevel, _ message: String) -> String {
        let text = Self.escaped(message)
        switch style {
        case .journal: return "<\(level.syslogPriority)>\(text)\n"
        case .plain: return "\(level.rawValue): \(text)\n"
        }
    }

    static func escaped(_ message: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}":
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
