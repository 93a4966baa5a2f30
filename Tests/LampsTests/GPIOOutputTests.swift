import Lamps
import Testing

@Suite("GPIO outputs addressed by chip label and offset")
struct GPIOOutputTests {
    @Test("the global number is base + offset for the bases seen on Pis", arguments: [
        (0, "pinctrl-bcm2835"), (512, "pinctrl-bcm2711"), (571, "pinctrl-rp1"),
    ])
    func labelLookup(base: Int, label: String) throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: base, label: label, ngpio: 58)
        // A second chip with another label must not be picked.
        try sysfs.addChip(base: base + 100, label: "raspberrypi-exp-gpio", ngpio: 8)
        try sysfs.addExportedLine(base + 17)
        let line = try GPIOOutput(chipLabel: label, offset: 17, sysfs: sysfs.directory)
        #expect(line.globalNumber == base + 17)
        #expect(line.directory.hasSuffix("/sys/class/gpio/gpio\(base + 17)"))
        try line.set(true)
        #expect(try sysfs.value(base + 17) == "1")
    }

    @Test("an unknown label is notFound and lists the labels seen")
    func unknownLabel() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addChip(base: 570, label: "raspberrypi-exp-gpio", ngpio: 8)
        let error = #expect(throws: LampError.self) {
            try GPIOOutput(chipLabel: "pinctrl-rp1", offset: 17, sysfs: sysfs.directory)
        }
        #expect(error?.code == .notFound)
        #expect(error?.detail.contains("pinctrl-rp1") == true)
        #expect(error?.detail.contains("pinctrl-bcm2711 (gpiochip512)") == true)
        #expect(error?.detail.contains("raspberrypi-exp-gpio (gpiochip570)") == true)
    }

    @Test("an offset at or beyond ngpio (or negative) is rejected", arguments: [58, 59, 1000, -1])
    func offsetOutOfRange(offset: Int) throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        let error = #expect(throws: LampError.self) {
            try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: offset, sysfs: sysfs.directory)
        }
        #expect(error?.code == .badConfiguration)
        #expect(error?.detail.contains("0..<58") == true)
        #expect(try sysfs.read("sys/class/gpio/export") == "")
    }

    @Test("the last line of a chip is accepted")
    func lastLine() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addExportedLine(569)
        #expect(try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 57, sysfs: sysfs.directory).globalNumber == 569)
    }

    @Test("a label on two chips is ambiguous")
    func ambiguousLabel() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 0, label: "twin", ngpio: 8)
        try sysfs.addChip(base: 8, label: "twin", ngpio: 8)
        let error = #expect(throws: LampError.self) { try GPIOOutput(chipLabel: "twin", offset: 1, sysfs: sysfs.directory) }
        #expect(error?.code == .badConfiguration)
    }

    @Test("a non-numeric base is unexpectedContent naming the file")
    func garbageBase() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.write("sys/class/gpio/gpiochip512/base", "five hundred\n")
        let error = #expect(throws: LampError.self) {
            try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 17, sysfs: sysfs.directory)
        }
        #expect(error?.code == .unexpectedContent)
        #expect(error?.detail.contains("gpiochip512/base") == true)
    }

    @Test("an active-low line: active_low 1, direction high (physically off), value 0; the export is untouched")
    func activeLowAlreadyExported() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addExportedLine(529)
        let relay = try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 17, activeLow: true, sysfs: sysfs.directory)
        #expect(relay.name == "pinctrl-bcm2711:17")
        #expect(try sysfs.read("sys/class/gpio/gpio529/active_low") == "1")
        #expect(try sysfs.read("sys/class/gpio/gpio529/direction") == "high")
        #expect(try sysfs.value(529) == "0")
        #expect(try sysfs.read("sys/class/gpio/export") == "")
        try relay.set(true)
        #expect(try sysfs.value(529) == "1")
    }

    @Test("an active-high line: active_low 0, direction low")
    func activeHigh() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addExportedLine(529)
        try sysfs.write("sys/class/gpio/gpio529/active_low", "1\n")
        _ = try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 17, sysfs: sysfs.directory)
        #expect(try sysfs.read("sys/class/gpio/gpio529/active_low") == "0")
        #expect(try sysfs.read("sys/class/gpio/gpio529/direction") == "low")
        #expect(try sysfs.value(529) == "0")
    }

    @Test("an absent gpioN is exported by number; the fake kernel creates nothing, which is reported")
    func exportWhenAbsent() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        let error = #expect(throws: LampError.self) {
            try GPIOOutput(chipLabel: "pinctrl-bcm2711", offset: 17, sysfs: sysfs.directory)
        }
        #expect(try sysfs.read("sys/class/gpio/export") == "529")
        #expect(error?.code == .notFound)
        #expect(error?.detail.contains("gpio529") == true)
    }

    @Test("GPIOChip.all lists every chip")
    func listChips() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addChip(base: 512, label: "pinctrl-bcm2711", ngpio: 58)
        try sysfs.addChip(base: 570, label: "raspberrypi-exp-gpio", ngpio: 8)
        let chips = try GPIOChip.all(sysfs: sysfs.directory)
        #expect(chips == [
            GPIOChip(directoryName: "gpiochip512", label: "pinctrl-bcm2711", base: 512, ngpio: 58),
            GPIOChip(directoryName: "gpiochip570", label: "raspberrypi-exp-gpio", base: 570, ngpio: 8),
        ])
    }
}
