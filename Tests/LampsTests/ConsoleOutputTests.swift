import Foundation
import GateCheckTestSupport
import Lamps
import Testing

@Suite("Console outputs")
struct ConsoleOutputTests {
    @Test("each change is one line naming the output")
    func lines() throws {
        let lines = Collected<String>()
        let output = ConsoleOutput(name: "pass", write: lines.append)
        try output.set(true)
        try output.set(false)
        #expect(lines.items == ["[lamp] pass ON", "[lamp] pass OFF"])
    }

    @Test("a console panel prints a pass as a person at the gate would see it")
    func consolePanel() throws {
        let lines = Collected<String>()
        let clock = TestClock()
        let outputs: [LampRole: any LampOutput] = Dictionary(
            uniqueKeysWithValues: LampRole.allCases.map { ($0, ConsoleOutput(name: $0.rawValue, write: lines.append)) }
        )
        let timings = LampTimings(pass: .milliseconds(1000), relayPulse: .milliseconds(500))
        let panel = try LampPanel(outputs: outputs, timings: timings, clock: clock.lampClock)
        try panel.tick()
        #expect(lines.items == ["[lamp] relay OFF", "[lamp] buzzer OFF", "[lamp] pass OFF", "[lamp] fail OFF", "[lamp] fault OFF"])
        lines.clear()
        try panel.showPass()
        clock.advance(by: .milliseconds(500))
        try panel.tick()
        clock.advance(by: .milliseconds(500))
        try panel.tick()
        #expect(lines.items == ["[lamp] relay ON", "[lamp] pass ON", "[lamp] relay OFF", "[lamp] pass OFF"])
    }
}
