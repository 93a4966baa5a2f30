import Lamps

/// A gate wired as on a Pi 4: three LED class lamps from the gpio-led overlay and an active-low relay on
/// GPIO17 of `pinctrl-bcm2711` (global 529, pre-exported in the fake tree), plus a recorded buzzer.
struct GateFixture {
    let sysfs: FakeSysfs
    let clock = TestClock()
    let buzzer = RecordingOutput(name: "buzzer")
    let panel: LampPanel

    static let green = "gatecheck-green"
    static let red = "gatecheck-red"
    static let amber = "gatecheck-amber"
    static let relayLine = 529

    init(timings: LampTimings = GateFixture.timings, buzzer withBuzzer: Bool = true) throws {
        sysfs = try FakeSysfs()
        for led in [Self.green, Self.red, Self.amber] { try sysfs.addLED(led) }
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addExportedLine(Self.relayLine)
        var outputs: [LampRole: any LampOutput] = [
            .pass: try LEDClassOutput(name: Self.green, sysfs: sysfs.directory),
            .fail: try LEDClassOutput(name: Self.red, sysfs: sysfs.directory),
            .fault: try LEDClassOutput(name: Self.amber, sysfs: sysfs.directory),
            .relay: try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 17, activeLow: true, sysfs: sysfs.directory),
        ]
        if withBuzzer { outputs[.buzzer] = buzzer }
        panel = try LampPanel(outputs: outputs, timings: timings, clock: clock.lampClock)
    }

    static let timings = LampTimings(
        pass: .milliseconds(1500),
        fail: .milliseconds(2000),
        relayPulse: .milliseconds(800),
        failBeep: .milliseconds(200),
        faultBlinkPeriod: .milliseconds(1000),
        importPeriod: .milliseconds(400)
    )

    /// Green, red, amber brightness and the relay value, e.g. "1 0 0 | 1".
    func state() throws -> String {
        let lamps = try [Self.green, Self.red, Self.amber].map { try sysfs.brightness($0) }.joined(separator: " ")
        return "\(lamps) | \(try sysfs.value(Self.relayLine))"
    }

    /// Advances the clock and ticks.
    func step(_ milliseconds: Int) throws {
        clock.advance(by: .milliseconds(milliseconds))
        try panel.tick()
    }
}
