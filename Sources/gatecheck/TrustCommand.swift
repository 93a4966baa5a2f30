import ArgumentParser
import Foundation
import GateCheckCrypto
import HealthCredentials
import TrustLoading
import TrustStore

/// `gatecheck trust`: the device's trust store and the back office's bundles.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Manage signed trust bundles and the device's trust store.",
        subcommands: [TrustBundleCommand.self, TrustImportCommand.self, TrustShowCommand.self, TrustExportCommand.self]
    )
}

/// Options shared by the commands that touch the installed store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "The state directory holding the trust store.")
    var stateDirectory = TrustStoreDirectory.defaultPath

    @Option(name: .customLong("anchors"), help: "Folder of PEM CA certificates allowed to sign bundles.")
    var anchorsDirectory = TrustAnchors.defaultDirectory

    var store: TrustStoreDirectory { TrustStoreDirectory(path: stateDirectory) }

    func anchors() throws -> [Certificate] {
        do {
            return try TrustAnchors.load(directory: anchorsDirectory)
        } catch {
            throw UsageError(error.detail)
        }
    }
}

/// A refused operation: a one-line reason on stderr and exit status 1.
enum Refusal {
    static func report(_ error: TrustStoreError) -> ExitCode {
        printToStandardError("refused (\(error.code)): \(error.detail)")
        return ExitCode(1)
    }
}
