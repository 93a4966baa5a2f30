import Foundation
import GateCheckTestSupport
import Testing

@testable import DaemonSupport

/// sd_notify over real datagram sockets: a path in a temporary directory and an abstract name.
@Suite("sd_notify")
struct SystemdNotifierTests {
    @Test func pathSocketReceivesEachMessage() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(notifySocket: directory.path + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.isEnabled)

        try notifier.ready()
        #expect(receiver.receive() == "READY=1")
        try notifier.status("scanning\nREADY=1\r\tok")
        #expect(receiver.receive() == "STATUS=scanning READY=1  ok")
        try notifier.watchdog()
        #expect(receiver.receive() == "WATCHDOG=1")
        try notifier.stopping()
        #expect(receiver.receive() == "STOPPING=1")
        try notifier.send(.ready, .status("trust loaded"))
        #expect(receiver.receive() == "READY=1\nSTATUS=trust loaded")
    }

    @Test func reloadingCarriesTheMonotonicTime() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(notifySocket: directory.path + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try notifier.reloading()
        let message = try #require(receiver.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
        let beforeUsec = UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1_000
        #expect(stamp >= beforeUsec && stamp < beforeUsec + 60_000_000)
        #expect(NotifyMessage.reloading(monotonicMicroseconds: 42).lines == ["RELOADING=1", "MONOTONIC_USEC=42"])
    }

    @Test func abstractSocket() throws {
        let name = "@gatecheck-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let receiver = try DatagramReceiver(notifySocket: name)
        try SystemdNotifier(environment: ["NOTIFY_SOCKET": name]).ready()
        #expect(receiver.receive() == "READY=1")
    }

    @Test func withoutASocketEverythingIsANoOp() throws {
        for environment in [[:], ["NOTIFY_SOCKET": ""]] {
            let notifier = SystemdNotifier(environment: environment)
            #expect(!notifier.isEnabled)
            try notifier.ready()
            try notifier.watchdog()
            try notifier.reloading()
        }
    }

    @Test func badSocketsAreNamed() throws {
        #expect(throws: DaemonSupportError(.badNotifySocket, "")) {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]).ready()
        }
        #expect(throws: DaemonSupportError(.badNotifySocket, "")) {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]).ready()
        }
        let directory = try TemporaryDirectory()
        do {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": directory.path + "/nobody"]).ready()
            Issue.record("sent to a missing socket")
        } catch {
            #expect(error.code == .systemCall)
            #expect(error.description == "sendto(\(directory.path)/nobody): No such file or directory")
        }
    }

    @Test func watchdogPeriodIsHalfTheTimeout() {
        let watchdog = SystemdWatchdog(environment: ["WATCHDOG_USEC": "10000000"], processID: 7)
        #expect(watchdog?.timeout == .seconds(10))
        #expect(watchdog?.feedingPeriod == .seconds(5))
        #expect(SystemdWatchdog(environment: ["WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "7"], processID: 7)?.feedingPeriod == .seconds(5))
    }

    @Test(arguments: [
        [:],
        ["WATCHDOG_USEC": "0"],
        ["WATCHDOG_USEC": "-5"],
        ["WATCHDOG_USEC": "ten"],
        ["WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "8"],
        ["WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "x"],
    ])
    func noWatchdog(environment: [String: String]) {
        #expect(SystemdWatchdog(environment: environment, processID: 7) == nil)
    }
}
