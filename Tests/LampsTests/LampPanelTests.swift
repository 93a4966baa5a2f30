import Lamps
import SystemCalls
import Testing

@Suite("Lamp panel patterns, stepped on a test clock against a fake sysfs")
struct LampPanelTests {
    @Test("the first tick drives every output to rest: lamps off, relay locked")
    func restAtStart() throws {
        let gate = try GateFixture()
        try gate.sysfs.write("sys/class/leds/gatecheck-red/brightness", "1\n")
        #expect(try gate.panel.tick() == nil)
        #expect(try gate.state() == "0 0 0 | 0")
        #expect(gate.buzzer.history == [false])
        #expect(gate.panel.levels == [.pass: false, .fail: false, .fault: false, .relay: false, .buzzer: false])
    }

    @Test("pass: green for the pass time, relay pulses then locks, red and buzzer stay off")
    func pass() throws {
        let gate = try GateFixture()
        let start = gate.clock.now
        let next = try gate.panel.showPass()
        #expect(next == start + .milliseconds(800))
        #expect(try gate.state() == "1 0 0 | 1")
        try gate.step(799)
        #expect(try gate.state() == "1 0 0 | 1")
        try gate.step(1)
        #expect(try gate.state() == "1 0 0 | 0")
        try gate.step(699)
        #expect(try gate.state() == "1 0 0 | 0")
        try gate.step(1)
        #expect(try gate.state() == "0 0 0 | 0")
        #expect(try gate.panel.tick() == nil)
        #expect(gate.buzzer.history == [false])
    }

    @Test("an explicit duration overrides the configured pass time")
    func passForDuration() throws {
        let gate = try GateFixture()
        try gate.panel.showPass(for: .milliseconds(300))
        try gate.step(299)
        #expect(try gate.sysfs.brightness(GateFixture.green) == "1")
        try gate.step(1)
        #expect(try gate.sysfs.brightness(GateFixture.green) == "0")
    }

    @Test("fail: red for the fail time with a short beep; the relay never opens")
    func fail() throws {
        let gate = try GateFixture()
        try gate.panel.showFail()
        #expect(try gate.state() == "0 1 0 | 0")
        #expect(gate.buzzer.history == [true])
        try gate.step(200)
        #expect(gate.buzzer.history == [true, false])
        #expect(try gate.state() == "0 1 0 | 0")
        try gate.step(1799)
        #expect(try gate.state() == "0 1 0 | 0")
        try gate.step(1)
        #expect(try gate.state() == "0 0 0 | 0")
    }

    @Test("without a buzzer a fail is silent and nothing else changes")
    func failWithoutBuzzer() throws {
        let gate = try GateFixture(buzzer: false)
        try gate.panel.showFail()
        #expect(try gate.state() == "0 1 0 | 0")
        #expect(gate.panel.levels[.buzzer] == nil)
    }

    @Test("a fail during the relay pulse locks the relay at once and replaces green with red")
    func failDuringPulse() throws {
        let gate = try GateFixture()
        try gate.panel.showPass()
        try gate.step(100)
        try gate.panel.showFail()
        #expect(try gate.state() == "0 1 0 | 0")
        for _ in 0..<30 {
            try gate.step(100)
            #expect(try gate.sysfs.value(GateFixture.relayLine) == "0")
        }
    }

    @Test("a relay pulse longer than the pass display still ends on time")
    func longPulse() throws {
        var timings = GateFixture.timings
        timings.relayPulse = .milliseconds(2000)
        let gate = try GateFixture(timings: timings)
        try gate.panel.showPass()
        try gate.step(1500)
        #expect(try gate.state() == "0 0 0 | 1")
        try gate.step(500)
        #expect(try gate.state() == "0 0 0 | 0")
    }

    @Test("fault blinks amber with the configured period while it holds, then stops")
    func faultBlinks() throws {
        let gate = try GateFixture()
        let start = gate.clock.now
        #expect(try gate.panel.setFault(true) == start + .milliseconds(500))
        var seen: [String] = []
        for _ in 0..<6 {
            seen.append(try gate.sysfs.brightness(GateFixture.amber))
            try gate.step(500)
        }
        #expect(seen == ["1", "0", "1", "0", "1", "0"])
        // Repeating the event keeps the phase: we are at 3 s, amber on.
        try gate.panel.setFault(true)
        #expect(try gate.sysfs.brightness(GateFixture.amber) == "1")
        try gate.step(250)
        #expect(try gate.sysfs.brightness(GateFixture.amber) == "1")
        try gate.panel.setFault(false)
        #expect(try gate.state() == "0 0 0 | 0")
        #expect(try gate.panel.tick() == nil)
    }

    @Test("a verdict during a fault shows green or red while amber keeps blinking")
    func verdictDuringFault() throws {
        let gate = try GateFixture()
        try gate.panel.setFault(true)
        try gate.panel.showFail()
        #expect(try gate.state() == "0 1 1 | 0")
        try gate.step(500)
        #expect(try gate.state() == "0 1 0 | 0")
    }

    @Test("an import alternates amber and green, replaces a fault's blink while it runs, and stops cleanly")
    func importPattern() throws {
        let gate = try GateFixture()
        try gate.panel.setImportInProgress(true)
        var seen: [String] = []
        for _ in 0..<4 {
            seen.append(try gate.state())
            try gate.step(200)
        }
        #expect(seen == ["0 0 1 | 0", "1 0 0 | 0", "0 0 1 | 0", "1 0 0 | 0"])
        try gate.panel.showPass()
        #expect(try gate.state() == "1 0 0 | 1")
        try gate.step(1500)
        try gate.panel.setFault(true)
        var withFault: [String] = []
        for _ in 0..<2 {
            withFault.append(try gate.state())
            try gate.step(200)
        }
        #expect(withFault == ["1 0 0 | 0", "0 0 1 | 0"], "the import pattern, not the fault blink")
        try gate.panel.setImportInProgress(false)
        #expect(try gate.state() == "0 0 1 | 0", "the fault blinks again")
        try gate.panel.setFault(false)
        #expect(try gate.state() == "0 0 0 | 0")
    }

    @Test("an import's outcome: green and amber when installed, red and amber blinking when refused; never the relay")
    func importOutcome() throws {
        let gate = try GateFixture()
        try gate.panel.setFault(true)
        try gate.panel.setImportInProgress(true)
        try gate.panel.showImportOutcome(succeeded: true)
        #expect(try gate.state() == "1 0 1 | 0")
        try gate.step(2_900)
        #expect(try gate.state() == "1 0 1 | 0")
        try gate.step(100)
        #expect(try gate.state() != "1 0 1 | 0", "the outcome ends after importOutcome (3 s)")
        try gate.panel.setFault(false)
        #expect(try gate.state() == "0 0 0 | 0")

        try gate.panel.showImportOutcome(succeeded: false)
        var seen: [String] = []
        for _ in 0..<4 {
            seen.append(try gate.state())
            try gate.step(100)
        }
        #expect(seen == ["0 1 1 | 0", "0 0 0 | 0", "0 1 1 | 0", "0 0 0 | 0"], "red and amber blink together")
        try gate.step(3_000)
        #expect(try gate.state() == "0 0 0 | 0")
    }

    @Test("ready shows the optional heartbeat; without one it shows nothing")
    func heartbeat() throws {
        var timings = GateFixture.timings
        timings.heartbeat = LampTimings.Heartbeat(role: .pass, flash: .milliseconds(50), interval: .seconds(2))
        let gate = try GateFixture(timings: timings)
        let start = gate.clock.now
        #expect(try gate.panel.setReady(true) == start + .milliseconds(50))
        #expect(try gate.sysfs.brightness(GateFixture.green) == "1")
        try gate.step(50)
        #expect(try gate.sysfs.brightness(GateFixture.green) == "0")
        try gate.step(1950)
        #expect(try gate.sysfs.brightness(GateFixture.green) == "1")
        try gate.panel.setReady(false)
        #expect(try gate.sysfs.brightness(GateFixture.green) == "0")

        let quiet = try GateFixture()
        #expect(try quiet.panel.setReady(true) == nil)
        #expect(try quiet.state() == "0 0 0 | 0")
    }

    @Test("allOff forgets every pattern, turns all lamps off and locks the relay mid-pulse")
    func allOff() throws {
        let gate = try GateFixture()
        try gate.panel.setFault(true)
        try gate.panel.setImportInProgress(true)
        try gate.panel.showPass()
        #expect(try gate.state() == "1 0 1 | 1")
        try gate.panel.allOff()
        #expect(try gate.state() == "0 0 0 | 0")
        #expect(gate.buzzer.history.last == false)
        for _ in 0..<5 {
            try gate.step(300)
            #expect(try gate.state() == "0 0 0 | 0")
        }
    }

    @Test("allOff writes outputs even when they are believed off already")
    func allOffRewrites() throws {
        let gate = try GateFixture()
        try gate.panel.tick()
        try gate.sysfs.write("sys/class/gpio/gpio529/value", "1\n")
        try gate.panel.allOff()
        #expect(try gate.sysfs.value(GateFixture.relayLine) == "0")
    }

    @Test("a failing lamp does not stop the relay from locking; it is reported and retried")
    func failingOutput() throws {
        let green = RecordingOutput(name: "green")
        let relay = RecordingOutput(name: "relay")
        let clock = TestClock()
        let panel = try LampPanel(
            outputs: [.pass: green, .relay: relay],
            timings: LampTimings(pass: .milliseconds(1000), relayPulse: .milliseconds(500)),
            clock: clock.lampClock
        )
        try panel.showPass()
        green.failWrites(true)
        clock.advance(by: .milliseconds(1000))
        let error = #expect(throws: LampError.self) { try panel.tick() }
        #expect(error?.code == .writeFailed)
        #expect(relay.history == [true, false])
        #expect(panel.levels[.pass] == true)
        green.failWrites(false)
        try panel.tick()
        #expect(green.history == [true, false])
        let allOffError = #expect(throws: LampError.self) {
            green.failWrites(true)
            try panel.allOff()
        }
        #expect(allOffError?.code == .writeFailed)
        #expect(relay.history.last == false)
    }

    @Test("unusable timings are refused", arguments: [
        LampTimings(pass: .zero),
        LampTimings(faultBlinkPeriod: .milliseconds(-1)),
        LampTimings(failBeep: .zero),
        LampTimings(heartbeat: LampTimings.Heartbeat(flash: .seconds(3), interval: .seconds(3))),
        LampTimings(heartbeat: LampTimings.Heartbeat(role: .relay)),
    ])
    func badTimings(timings: LampTimings) throws {
        let error = #expect(throws: LampError.self) { try LampPanel(outputs: [:], timings: timings) }
        #expect(error?.code == .badConfiguration)
    }

    @Test("the system clock moves forward")
    func systemClock() {
        let clock = MonotonicClock.system
        let first = clock.now().sinceOrigin
        #expect(first >= .zero)
        #expect(clock.now().sinceOrigin >= first)
    }
}
