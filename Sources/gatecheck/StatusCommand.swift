import ArgumentParser
import DaemonSupport
import FoundationEssentials
import GateVocabulary
import SystemCalls

/// `gatecheck status`: what the running daemon reports on its status socket, for an installer at the
/// gate or a monitoring script (the exit status alone says whether the gate can decide).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running daemon's state and counters.",
        discussion: """
            Exit status 0 when the gate is ready, 1 when it is starting, in fault or stopping, \
            2 when the daemon cannot be reached or does not answer with a status.
            """
    )

    @Option(name: .customLong("socket"), help: "The daemon's status socket.")
    var socket = StatusConfiguration().socketPath

    @Flag(name: .customLong("json"), help: "Print the daemon's JSON line unchanged.")
    var json = false

    func run() throws {
        // The socket layer takes absolute paths only; a relative --socket means one in this directory.
        let path = socket.hasPrefix("/") ? socket : FileManager.default.currentDirectoryPath + "/" + socket
        let reply: [UInt8]
        do {
            reply = try StatusSocketClient.fetch(path: path)
        } catch where error.code == .badSocketPath {
            printToStandardError("status: \(error.description); pass --socket with the daemon's status socket path")
            throw ExitCode(2)
        } catch {
            printToStandardError(
                "status: cannot read \(path): \(error.description); the daemon may not be running "
                    + "(check `systemctl status gatecheckd`), or pass --socket with its status socket path")
            throw ExitCode(2)
        }
        let snapshot: StatusSnapshot
        do {
            snapshot = try StatusSnapshot(json: reply)
        } catch {
            printToStandardError(
                "status: \(path) did not answer with a status: \(error.description); check that --socket names gatecheckd's status socket")
            throw ExitCode(2)
        }
        if json {
            var line = reply
            if line.last == UInt8(ascii: "\n") { line.removeLast() }
            print(String(decoding: line, as: UTF8.self))
        } else {
            print(Self.text(snapshot))
        }
        if snapshot.state != .ready { throw ExitCode(1) }
    }

    static func text(_ status: StatusSnapshot) -> String {
        var lines: [String] = []
        let faults = status.faults.isEmpty ? "" : " (" + status.faults.map(\.rawValue).joined(separator: ", ") + ")"
        lines.append("state:     \(status.state.rawValue.uppercased())\(faults)")
        lines.append("uptime:    \(duration(status.uptimeSeconds))")
        lines.append(
            "camera:    \(status.camera.isEmpty ? "-" : status.camera), "
                + "\(status.cameraFaults) faults, \(status.cameraReconnects) reconnects")
        lines.append("verdicts:  \(status.passes) passed, \(status.fails) failed")
        // Most frequent first; equal counts by name, so the output is stable.
        let reasons = status.failsByReason.map { (VerdictLine.word($0.key), $0.value) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (reason, count) in reasons {
            lines.append("  \(reason): \(count)")
        }
        if !status.failsByRule.isEmpty {
            // Admission rules that refused credentials, most frequent first (identifiers only; "other" beyond the cap).
            let rules = status.failsByRule.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            lines.append("rules:     " + rules.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append(
            "scanning:  \(status.scans) scans, \(status.frames) frames (\(status.framesDropped) dropped), "
                + "\(status.codesRead) codes, \(status.duplicatesSuppressed) duplicates, \(status.decodeErrors) decode errors")
        lines.append("trust:     \(trust(status))")
        if let fetch = fetch(status) { lines.append("fetch:     \(fetch)") }
        lines.append("latency:   \(latency(status))")
        return lines.joined(separator: "\n")
    }

    static func trust(_ status: StatusSnapshot) -> String {
        guard let sequence = status.trustSequence else { return "none loaded" }
        var parts = ["sequence \(sequence)"]
        if let age = status.trustAgeSeconds {
            parts.append(FixedPoint.text(Double(age) / 86_400, places: 1) + " days old")
        }
        if let expiry = status.trustExpiresInSeconds {
            parts.append(expiry >= 0 ? "expires in \(duration(expiry))" : "expired \(duration(-expiry)) ago")
        }
        parts.append("\(status.trustReloads) reloads")
        return parts.joined(separator: ", ")
    }

    /// The last `trust fetch`: its outcome and time, the last success, failures in a row; nil when none ran.
    static func fetch(_ status: StatusSnapshot) -> String? {
        guard let attempt = status.trustFetchLastAttempt else { return nil }
        let time = { (seconds: Int64) in Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle()) }
        let success = status.trustFetchLastSuccess.map { "last success \(time($0))" } ?? "no success yet"
        return "\(status.trustFetchOutcome ?? "unknown") at \(time(attempt)), \(success), \(status.trustFetchFailures ?? 0) failures in a row"
    }

    static func latency(_ status: StatusSnapshot) -> String {
        guard let last = status.lastLatencyMilliseconds else { return "no verdict yet" }
        let maximum = status.maxLatencyMilliseconds.map { ", max \(FixedPoint.text($0, places: 1)) ms" } ?? ""
        return "last \(FixedPoint.text(last, places: 1)) ms" + maximum
    }

    /// The two largest units: `3d 4h`, `4h 0m`, `12m 5s`, `5s`.
    static func duration(_ seconds: Int64) -> String {
        let seconds = max(seconds, 0)
        let units: [(size: Int64, name: String)] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")]
        let first = units.firstIndex { seconds >= $0.size } ?? units.count - 1
        var text = "\(seconds / units[first].size)\(units[first].name)"
        if first + 1 < units.count {
            let next = units[first + 1]
            text += " \(seconds % units[first].size / next.size)\(next.name)"
        }
        return text
    }
}
