import DaemonSupport

/// One unbuffered write per message, as the daemon's log lines (FileHandle needs full Foundation).
func printToStandardError(_ message: String) {
    JournalLogHandler.writeToStandardError(message + "\n")
}
