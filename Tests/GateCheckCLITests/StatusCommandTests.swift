import DaemonSupport
import Foundation
import GateCheckTestSupport
import GateVocabulary
import HealthCredentials
import Testing

/// `gatecheck status` against a status server run by the test, as the installer at the gate will use it.
@Suite struct StatusCommandTests {
    static func snapshot(_ state: StatusSnapshot.State) -> StatusSnapshot {
        var status = StatusSnapshot()
        status.state = state
        status.faults = state == .fault ? [.cameraLost, .trustStale] : []
        status.uptimeSeconds = 93_784  // 1d 2h 3m 4s
        status.camera = "/dev/gatecheck-camera"
        status.frames = 120_000
        status.framesDropped = 35
        status.scans = 119_965
        status.codesRead = 412
        status.duplicatesSuppressed = 280
        status.passes = 120
        status.fails = 12
        status.failsByReason = [.revoked: 2, .expired: 7, .badBase45: 3]
        status.decodeErrors = 3
        status.cameraFaults = 2
        status.cameraReconnects = 1
        status.trustSequence = 42
        status.trustAgeSeconds = 276_480  // 3.2 days
        status.trustExpiresInSeconds = 2_332_800 + 7_200  // 27d 2h
        status.trustReloads = 4
        status.lastLatencyMilliseconds = 12.5
        status.maxLatencyMilliseconds = 48.3
        return status
    }

    /// A server answering with `reply` at a fresh path; stopped by the caller.
    static func serve(_ folder: TemporaryDirectory, _ reply: String) throws -> (StatusSocketServer, String) {
        let path = folder.url.appendingPathComponent("status.sock").path
        let server = try StatusSocketServer(path: path) { Array(reply.utf8) }
        server.start()
        return (server, path)
    }

    @Test func readyPrintsTheCountersAndExitsZero() throws {
        let folder = try TemporaryDirectory()
        let (server, path) = try Self.serve(folder, Self.snapshot(.ready).json())
        defer { server.stop() }

        let result = try GateCheckCLI.run(["status", "--socket", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        #expect(
            result.lines == [
                "state:     READY",
                "uptime:    1d 2h",
                "camera:    /dev/gatecheck-camera, 2 faults, 1 reconnects",
                "verdicts:  120 passed, 12 failed",
                "  expired: 7",
                "  bad-base45: 3",
                "  revoked: 2",
                "scanning:  119965 scans, 120000 frames (35 dropped), 412 codes, 280 duplicates, 3 decode errors",
                "trust:     sequence 42, 3.2 days old, expires in 27d 2h, 4 reloads",
                "latency:   last 12.5 ms, max 48.3 ms",
            ], "\(result.standardOutput)")
    }

    @Test func faultNamesTheFaultsAndExitsOne() throws {
        let folder = try TemporaryDirectory()
        var status = Self.snapshot(.fault)
        status.trustExpiresInSeconds = -90_000
        let (server, path) = try Self.serve(folder, status.json())
        defer { server.stop() }

        let result = try GateCheckCLI.run(["status", "--socket", path])
        #expect(result.status == 1)
        #expect(result.lines.first == "state:     FAULT (camera-lost, trust-stale)", "\(result.standardOutput)")
        #expect(result.standardOutput.contains("expired 1d 1h ago"))
    }

    @Test func theLastTrustFetchIsShownWhenOneRan() throws {
        let folder = try TemporaryDirectory()
        var status = Self.snapshot(.ready)
        var fetch = TrustFetchState().recording("installed", url: "https://trust.example/b", at: 1_796_450_000)
        fetch = fetch.recording("fetch-timeout", url: "https://trust.example/b", at: 1_796_453_600)
        status.includeFetch(fetch)
        let (server, path) = try Self.serve(folder, status.json())
        defer { server.stop() }

        let result = try GateCheckCLI.run(["status", "--socket", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lines.contains("fetch:     fetch-timeout at 2026-12-05T06:53:20Z, last success 2026-12-05T05:53:20Z, 1 failures in a row"), "\(result.standardOutput)")
    }

    @Test(arguments: [StatusSnapshot.State.starting, .stopping])
    func notReadyExitsOne(state: StatusSnapshot.State) throws {
        let folder = try TemporaryDirectory()
        let (server, path) = try Self.serve(folder, StatusSnapshot().json().replacingOccurrences(of: "starting", with: state.rawValue))
        defer { server.stop() }
        let result = try GateCheckCLI.run(["status", "--socket", path])
        #expect(result.status == 1)
        #expect(result.lines.first == "state:     \(state.rawValue.uppercased())")
        #expect(result.standardOutput.contains("trust:     none loaded"))
        #expect(result.standardOutput.contains("latency:   no verdict yet"))
    }

    @Test func jsonIsTheDaemonsLineUnchanged() throws {
        let folder = try TemporaryDirectory()
        // A newer daemon's reply, with a key this client does not know: passed through as sent.
        let line = String(Self.snapshot(.ready).json().dropLast()) + #","zNewCounter":5}"#
        let (server, path) = try Self.serve(folder, line)
        defer { server.stop() }

        let result = try GateCheckCLI.run(["status", "--socket", path, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == line + "\n")
        #expect(result.jsonObjects.first?["passes"] as? Int == 120)
    }

    @Test func jsonOfAFaultExitsOne() throws {
        let folder = try TemporaryDirectory()
        let (server, path) = try Self.serve(folder, Self.snapshot(.fault).json())
        defer { server.stop() }
        let result = try GateCheckCLI.run(["status", "--socket", path, "--json"])
        #expect(result.status == 1)
        #expect(result.standardOutput == Self.snapshot(.fault).json() + "\n")
    }

    @Test func aMissingSocketExitsTwoNamingIt() throws {
        let folder = try TemporaryDirectory()
        let path = folder.url.appendingPathComponent("status.sock").path
        for arguments in [["status", "--socket", path], ["status", "--socket", path, "--json"]] {
            let result = try GateCheckCLI.run(arguments)
            #expect(result.status == 2)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains(path), "\(result.standardError)")
            #expect(result.standardError.contains("may not be running"), "\(result.standardError)")
            #expect(result.standardError.contains("connect("), "\(result.standardError)")
        }
    }

    @Test func aReplyThatIsNotAStatusExitsTwo() throws {
        let folder = try TemporaryDirectory()
        let (server, path) = try Self.serve(folder, "HTTP/1.0 400 Bad Request")
        defer { server.stop() }
        let result = try GateCheckCLI.run(["status", "--socket", path])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("\(path) did not answer with a status"), "\(result.standardError)")
    }

    @Test func theDefaultSocketIsTheConfigurationsDefault() throws {
        let result = try GateCheckCLI.run(["status", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("/run/gatecheck/status.sock"), "\(result.standardOutput)")
    }
}
