import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateDaemon
import GateVocabulary
import Testing

/// The daemon shows what `gatecheck trust fetch` recorded (its fetch-state file), with no fetch fields before one ran.
@Suite struct TrustFetchStatusTests {
    typealias Harness = GateFaultTests.Harness

    @Test func theLastFetchReachesTheStatus() async throws {
        let harness = try Harness()
        defer { harness.notify.stop() }
        let configuration = try DaemonConfiguration.parse(harness.configurationText(), file: "fetch.conf")
        let daemon = GateDaemon(configuration: configuration, options: harness.options(source: CameraScript(.frames)))
        let running = Task { try await daemon.run() }
        #expect(await eventuallyAsync(within: 120) { harness.status()?.state == .ready })
        #expect(harness.status()?.trustFetchLastAttempt == nil, "no fetch has run")

        let fetch = TrustFetchState().recording("fetch-tls", url: "https://trust.example/b", at: 1_796_453_600)
        try fetch.write(stateDirectory: configuration.stateDirectory)
        #expect(await eventuallyAsync { harness.status()?.trustFetchOutcome == "fetch-tls" })
        let status = try #require(harness.status())
        #expect(status.trustFetchLastAttempt == 1_796_453_600 && status.trustFetchFailures == 1 && status.trustFetchLastSuccess == nil)
        #expect(status.state == .ready, "a failed fetch is not a fault: stale trust is")

        await daemon.stop()
        try await running.value
    }
}
