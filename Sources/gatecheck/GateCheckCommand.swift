import ArgumentParser
import DaemonSupport

/// `gatecheck`: the command-line face of GateCheck. Subcommands only wire library modules together.
struct GateCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatecheck",
        abstract: "Offline verification of health-certificate QR codes.",
        version: GateCheckVersion.current,
        subcommands: [VerifyCommand.self, ScanCommand.self, TrustCommand.self, RulesCommand.self, CameraCommand.self, StatusCommand.self]
    )

    /// Usage errors exit with 2 (the `verify` contract); ArgumentParser's default would be 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || error is UsageError {
                let message = fullMessage(for: error)
                if !message.isEmpty { printToStandardError(message) }
                Self.exit(withError: ExitCode(2))
            }
            Self.exit(withError: error)
        }
    }
}

/// An error in how the command was called (bad trust path, bad --at): exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
