import Foundation
import GateVocabulary
import Lamps
import Testing

/// The documented Raspberry Pi configurations (docs/examples) drive the header pins their comments name,
/// on a sysfs laid out as each Pi's kernel lays it out: lines are found by chip label, whatever the base.
@Suite("Raspberry Pi example configurations")
struct RaspberryPiConfigurationTests {
    struct Board: Sendable, CustomStringConvertible {
        let file: String
        let chipLabel: String
        let base: Int
        let ngpio: Int
        /// Other chips the board's kernel lists, which must not be taken for the header's.
        let otherChips: [(label: String, base: Int, ngpio: Int)]
        var description: String { file }
    }

    static let boards = [
        Board(file: "raspberry-pi-4.conf", chipLabel: "pinctrl-bcm2711", base: 512, ngpio: 58,
              otherChips: [("raspberrypi-exp-gpio", 570, 8)]),
        Board(file: "raspberry-pi-5.conf", chipLabel: "pinctrl-rp1", base: 571, ngpio: 54,
              otherChips: [("gpio-brcmstb@107d508500", 512, 32), ("gpio-brcmstb@107d508520", 544, 27)]),
    ]

    /// BCM GPIO number of each role, as the examples' comments and docs/deployment.md give them.
    static let header: [LampRole: (gpio: Int, activeLow: Bool)] = [
        .pass: (17, false), .fail: (27, false), .fault: (22, false), .buzzer: (23, false), .relay: (24, true),
    ]

    static func examplePath(_ file: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/\(file)").path
    }

    @Test(arguments: boards)
    func examplesWireEveryRoleToItsHeaderPin(_ board: Board) throws {
        var configuration = try DaemonConfiguration.load(path: Self.examplePath(board.file))
        for (role, pin) in Self.header {
            #expect(configuration.lamps[role] == .gpio(chipLabel: board.chipLabel, offset: pin.gpio, activeLow: pin.activeLow), "\(role)")
        }

        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: board.base, label: board.chipLabel, ngpio: board.ngpio)
        for other in board.otherChips { try sysfs.addChip(base: other.base, label: other.label, ngpio: other.ngpio) }
        for pin in Self.header.values { try sysfs.addExportedLine(board.base + pin.gpio) }
        configuration.lamps.sysfsRoot = sysfs.directory

        let outputs = try configuration.lamps.outputs(console: { _ in })
        #expect(Set(outputs.keys) == Set(LampRole.allCases))
        for (role, pin) in Self.header {
            let line = "sys/class/gpio/gpio\(board.base + pin.gpio)"
            #expect(try sysfs.read(line + "/active_low") == (pin.activeLow ? "1" : "0"), "\(role)")
            // Set up as an output at rest: off, and the relay locked.
            #expect(try sysfs.read(line + "/direction") == (pin.activeLow ? "high" : "low"), "\(role)")
            #expect(try sysfs.value(board.base + pin.gpio) == "0", "\(role)")
        }
        try #require(outputs[.relay]).set(true)
        #expect(try sysfs.value(board.base + 24) == "1")
    }
}
