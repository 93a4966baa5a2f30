import DaemonSupport
import GateVocabulary

/// The configuration error's one-line text, or nil if the text parsed.
func configurationError(_ text: String, file: String = "/etc/gatecheck/gatecheck.conf") -> String? {
    do {
        _ = try DaemonConfiguration.parse(text, file: file)
        return nil
    } catch {
        return error.description
    }
}

extension DaemonSupportError {
    static let unreadableFile = DaemonSupportError(.unreadableFile, "")
}
