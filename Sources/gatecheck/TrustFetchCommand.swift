import ArgumentParser
import DaemonSupport
import FoundationEssentials
import GateVocabulary
import SystemCalls
import TrustStore
import TrustUpdates

/// `gatecheck trust fetch`: download the bundle over HTTPS and install it as a USB stick's would be.
struct TrustFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a trust bundle over HTTPS and install it.",
        discussion: """
            Exit status 0 when the store holds the newest bundle afterwards (installed now, already installed, or \
            not modified since the last fetch), also when --if-due finds no fetch due or no URL is configured; \
            1 with a one-line reason when the download or the import failed (the store is unchanged); 2 for usage errors.
            """
    )

    @Argument(help: "The bundle's https:// URL. (default: [update] url of the configuration)")
    var url: String?

    @Option(name: .customLong("delta-url"), help: "A delta bundle's https:// URL, fetched first; URL only when the delta does not fit the installed bundle or is not published. (default: [update] delta_url when URL comes from the configuration)")
    var deltaURL: String?

    @Option(name: .customLong("state-dir"), help: "The state directory holding the trust store. (default: the configuration's, else \(TrustStoreDirectory.defaultPath))")
    var stateDirectory: String?

    @Option(name: .customLong("anchors"), help: "Folder of PEM CA certificates allowed to sign bundles. (default: the configuration's, else \(TrustAnchors.defaultDirectory))")
    var anchorsDirectory: String?

    @Option(name: .customLong("ca-file"), help: "PEM file of the only CAs trusted for the server. (default: [update] ca_file, else the system CA store)")
    var caFile: String?

    @Option(name: .customLong("config"), help: "gatecheckd's configuration, for [update] and the folders. (default: \(DaemonConfiguration.defaultPath) when no URL is given)")
    var configurationPath: String?

    @Flag(name: .customLong("if-due"), help: "Fetch only when due: [update] interval (seconds) after the last success, sooner with backoff after failures.")
    var ifDue = false

    func validate() throws {
        if let url, let problem = TrustFetchState.httpsURLProblem(url) { throw ValidationError("URL \(problem)") }
        if let deltaURL, let problem = TrustFetchState.httpsURLProblem(deltaURL) { throw ValidationError("--delta-url \(problem)") }
    }

    func run() throws {
        let configuration = try loadConfiguration()
        guard let url = url ?? configuration.update.url else {
            print("nothing to fetch: no URL given and no [update] url in \(configurationPath ?? DaemonConfiguration.defaultPath)")
            return
        }
        // The configuration's delta belongs to the configuration's URL only.
        let deltaURL = deltaURL ?? (self.url == nil ? configuration.update.deltaURL : nil)
        // Backoff and the recorded state follow the URL fetched first.
        let firstURL = deltaURL ?? url
        let state = stateDirectory ?? configuration.stateDirectory
        let now = WallClock.system.now()
        let interval = Int64(configuration.update.interval.components.seconds)
        if ifDue, let previous = TrustFetchState.read(stateDirectory: state),
            !previous.isDue(url: firstURL, now: Int64(now.timeIntervalSince1970), interval: interval), let due = previous.nextDue(interval: interval)
        {
            let when = Date(timeIntervalSince1970: TimeInterval(due)).formatted(Date.ISO8601FormatStyle())
            print("not due: next fetch at \(when) (\(previous.failures) failures in a row, last outcome \(previous.outcome ?? "none"))")
            return
        }
        let options = try StoreOptions.parse(["--state-dir", state, "--anchors", anchorsDirectory ?? configuration.anchorsDirectory])
        let fetch = TrustFetch(
            url: firstURL, fullURL: deltaURL == nil ? nil : url, store: options.store, anchors: try options.anchors(), caFile: caFile ?? configuration.update.caFile,
            limits: HTTPSDownload.Limits(maximumBytes: configuration.update.maximumBytes))
        let report = fetch.run()
        if let problem = report.stateWriteError { printToStandardError("warning: the fetch state was not recorded: \(problem)") }
        switch report.outcome {
        case .installed(let bundle):
            print("installed sequence \(bundle.manifest.sequence) from \(report.source): \(bundle.signers.count) signers, \(bundle.revocationCount) revocation entries")
        case .current(let sequence):
            print("current: \(report.source) offers the installed sequence \(sequence)")
        case .notModified(let sequence):
            print("not modified: \(report.source) is unchanged since the last fetch (installed sequence \(sequence.map(String.init) ?? "none"))")
        case .downloadFailed(let error):
            throw Refusal.report(error)
        case .refused(let error):
            throw Refusal.report(error)
        }
    }

    /// --config, or without a URL the default file when it exists; otherwise the defaults.
    private func loadConfiguration() throws -> DaemonConfiguration {
        let path = configurationPath ?? (url == nil && FileManager.default.fileExists(atPath: DaemonConfiguration.defaultPath) ? DaemonConfiguration.defaultPath : nil)
        guard let path else { return DaemonConfiguration() }
        do {
            return try DaemonConfiguration.load(path: path)
        } catch {
            throw Refusal.usage("--config", error, next: "give gatecheckd's configuration file (default \(DaemonConfiguration.defaultPath))")
        }
    }
}
