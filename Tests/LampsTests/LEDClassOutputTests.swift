import Lamps
import Testing

@Suite("LED class outputs")
struct LEDClassOutputTests {
    @Test("opening an LED sets its trigger to none and leaves it alone otherwise")
    func triggerNoneAtStart() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addLED("gatecheck-green")
        let led = try LEDClassOutput(name: "gatecheck-green", sysfs: sysfs.directory)
        #expect(try sysfs.read("sys/class/leds/gatecheck-green/trigger") == "none")
        #expect(led.onBrightness == 1)
        try led.set(true)
        #expect(try sysfs.brightness("gatecheck-green") == "1")
        try led.set(false)
        #expect(try sysfs.brightness("gatecheck-green") == "0")
    }

    @Test("on writes max_brightness, or 1 when the file is missing")
    func onLevel() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addLED("pwm", maxBrightness: 255)
        try sysfs.addLED("plain", maxBrightness: nil)
        try LEDClassOutput(name: "pwm", sysfs: sysfs.directory).set(true)
        try LEDClassOutput(name: "plain", sysfs: sysfs.directory + "/").set(true)
        #expect(try sysfs.brightness("pwm") == "255")
        #expect(try sysfs.brightness("plain") == "1")
    }

    @Test("a missing LED is notFound naming its directory")
    func missingLED() throws {
        let sysfs = try FakeSysfs()
        let error = #expect(throws: LampError.self) { try LEDClassOutput(name: "gatecheck-red", sysfs: sysfs.directory) }
        #expect(error?.code == .notFound)
        #expect(error?.detail.contains("sys/class/leds/gatecheck-red") == true)
    }

    @Test("a name with a slash is refused", arguments: ["", "..", "a/b"])
    func badName(name: String) throws {
        let sysfs = try FakeSysfs()
        let error = #expect(throws: LampError.self) { try LEDClassOutput(name: name, sysfs: sysfs.directory) }
        #expect(error?.code == .badConfiguration)
    }

    @Test("garbage in max_brightness is unexpectedContent")
    func garbageMaxBrightness() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addLED("odd")
        try sysfs.write("sys/class/leds/odd/max_brightness", "lots\n")
        let error = #expect(throws: LampError.self) { try LEDClassOutput(name: "odd", sysfs: sysfs.directory) }
        #expect(error?.code == .unexpectedContent)
        #expect(error?.detail.contains("max_brightness") == true)
    }

    @Test("a vanished brightness file is notFound naming the file")
    func vanishedBrightness() throws {
        let sysfs = try FakeSysfs()
        try sysfs.addLED("gone")
        let led = try LEDClassOutput(name: "gone", sysfs: sysfs.directory)
        try FileManagerHelper.remove(sysfs.root + "/sys/class/leds/gone/brightness")
        let error = #expect(throws: LampError.self) { try led.set(true) }
        #expect(error?.code == .notFound)
        #expect(error?.detail.contains("open(") == true)
        #expect(error?.detail.contains("gone/brightness") == true)
    }
}
