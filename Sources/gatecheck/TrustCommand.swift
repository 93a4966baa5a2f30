import ArgumentParser
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import TrustSources
import TrustStore

/// `gatecheck trust`: the device's trust store and the back office's bundles.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Manage signed trust bundles and the device's trust store.",
        subcommands: [TrustBundleCommand.self, TrustImportCommand.self, TrustFetchCommand.self, TrustShowCommand.self, TrustExportCommand.self]
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
            throw UsageError(
                "\(error.detail); put the PEM CA certificates allowed to sign trust bundles there, or pass --anchors DIR")
        }
    }

    /// Refuses (exit 1, code not-installed) when the state directory holds no trust store, before anchors are
    /// looked at: on a fresh machine the missing store is the news, not the missing anchors.
    func requireInstalledStore() throws {
        guard FileManager.default.fileExists(atPath: store.bundlePath) else {
            throw Refusal.report(TrustStoreError(.notInstalled, "no trust store is installed in \(stateDirectory)"))
        }
    }
}
