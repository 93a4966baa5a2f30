import Foundation
import Lamps
import Testing

@Suite("Console outputs")
struct ConsoleOutputTests {
    @Test("each change is one line naming the output")
    func lines() throws {
        let lines = LineCollector()
        let output = ConsoleOutput(name: "pass", write: lines.append)
        try output.set(true)
        try output.set(false)
        #expect(lines.all == ["[lamp] pass ON", "[lamp] pass OFF"])
    }

    @Test("a console panel prints a pass as a person at the gate would see it")
    func consolePanel() throws {
        let lines = LineCollector()
        let clock = TestClock()
        let outputs: [LampRole: any LampOutput] = Dictionary(
            uniqueKeysWithValues: LampRole.allCases.map { ($0, ConsoleOutput(name: $0.rawValue, write: lines.append)) }
        )
        let timings = LampTimings(pass: .milliseconds(1000), relayPulse: .milliseconds(500))
        let panel = try LampPanel(outputs: outputs, timings: timings, clock: clock.lampClock)
        try panel.tick()
        #expect(lines.all == ["[lamp] relay OFF", "[lamp] buzzer OFF", "[lamp] pass OFF", "[lamp] fail OFF", "[lamp] fault OFF"])
        lines.clear()
        try panel.showPass()
        clock.advance(by: .milliseconds(500))
        try panel.tick()
        clock.advance(by: .milliseconds(500))
        try panel.tick()
        #expect(lines.all == ["[lamp] relay ON", "[lamp] pass ON", "[lamp] relay OFF", "[lamp] pass OFF"])
    }
}
