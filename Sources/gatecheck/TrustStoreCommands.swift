import ArgumentParser
import DaemonSupport
import FoundationEssentials
import GateDaemon
import GateVocabulary
import HealthCredentials
import SystemCalls
import TrustSources
import TrustStore

/// `gatecheck trust import`: verify a bundle and install it, atomically; refuse anything less.
struct TrustImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Install a trust bundle from a file or a USB stick.",
        discussion: "A refused bundle exits 1 with a one-line reason and leaves the store unchanged."
    )

    @OptionGroup var options: StoreOptions

    @Option(name: .customLong("device"), help: "Block device of a USB stick (FAT12/16/32, never mounted) holding \(RemovableVolume.bundleFileName) at its root.")
    var device: String?

    @Option(
        name: .customLong("config"),
        help: "gatecheckd's configuration: take the state and anchors folders from it, and show the import on the gate's lamps (through gatecheckd when it runs, else directly).")
    var configurationPath: String?

    @Argument(help: "The bundle file.")
    var bundle: String?

    func validate() throws {
        guard (bundle == nil) != (device == nil) else { throw ValidationError("give either a BUNDLE file or --device DEV") }
    }

    func run() throws {
        var options = options
        var indicator: ImportIndicator?
        if let configurationPath {
            let configuration: DaemonConfiguration
            do {
                configuration = try DaemonConfiguration.load(path: configurationPath)
            } catch {
                throw Refusal.usage(
                    "--config", error, next: "give gatecheckd's configuration file (default \(DaemonConfiguration.defaultPath))")
            }
            options.stateDirectory = configuration.stateDirectory
            options.anchorsDirectory = configuration.anchorsDirectory
            let begun = ImportIndicator.begin(configuration: configuration)
            if case .none(let reason) = begun.route { printToStandardError("warning: the import is not shown on the lamps: \(reason)") }
            indicator = begun
        }
        do {
            let installed = try install(options)
            indicator?.finish(.installed(sequence: installed.manifest.sequence))
            let others = installed.trust.counts.filter { $0.framework != .hcert && $0.count > 0 }.map { "\($0.count) \($0.framework.rawValue) keys, " }.joined()
            print("installed sequence \(installed.manifest.sequence): \(installed.signers.count) signers, \(others)\(TrustBundleCommand.revocationText(installed))")
        } catch let error as TrustStoreError {
            indicator?.finish(.refused(code: error.code.description))
            throw Refusal.report(error)
        } catch {
            indicator?.finish(.refused(code: "bad-input"))
            throw error
        }
    }

    private func install(_ options: StoreOptions) throws -> VerifiedBundle {
        let anchors = try options.anchors()
        let store = options.store
        let installed: VerifiedBundle
        if let device {
            installed = try RemovableVolume.install(fromDevice: device, into: store, anchors: anchors, now: WallClock.system.now())
        } else {
            installed = try store.install(from: bundle!, anchors: anchors, now: WallClock.system.now())
        }
        // The import's own time is a time seen: it raises the clock's high-water mark.
        try? store.recordClock(WallClock.system.now(), granularity: 0)
        return installed
    }
}

/// `gatecheck trust show`: what is installed, how old it is, and whether the device may decide.
struct TrustShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the installed trust store.")

    @OptionGroup var options: StoreOptions

    @Option(
        name: .customLong("max-trust-age-days"),
        help: "Trust older than this counts as stale. (default: none: only the bundle's notAfter counts)")
    var maximumAgeDays: Int?

    @Flag(name: .customLong("json"), help: "Print one JSON object.")
    var json = false

    func run() throws {
        let store = options.store
        try options.requireInstalledStore()
        let anchors = try options.anchors()
        let installed: InstalledTrust
        do {
            installed = try store.load(anchors: anchors)
        } catch {
            throw Refusal.report(error)
        }
        let now = WallClock.system.now()
        let clock = TrustedClock(maximumAge: maximumAgeDays.map { Double($0) * 86_400 })
        let assessment = clock.assess(systemNow: now, manifest: installed.manifest, clockHighWater: store.clockHighWater())
        let status = TrustStatusReport(installed: installed, assessment: assessment, now: now)
        print(json ? status.json() : status.text())
    }
}

/// `gatecheck trust export`: a copy of the installed bundle, e.g. to move it to another device.
struct TrustExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Copy the installed bundle to a file.")

    @OptionGroup var options: StoreOptions

    @Option(name: .customLong("output"), help: "Where to write the copy (a new file).")
    var output: String

    func run() throws {
        try options.requireInstalledStore()
        do {
            let delta = try options.store.export(to: output)
            print("exported \(options.store.bundlePath) to \(output)")
            if let delta { print("exported \(options.store.deltaPath) to \(delta): import it after \(output)") }
        } catch {
            throw Refusal.report(error)
        }
    }
}
