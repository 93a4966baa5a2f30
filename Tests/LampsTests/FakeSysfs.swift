import Foundation
import Lamps

/// A temporary directory that mimics the parts of /sys the lamps use, with plain files.
///
/// A plain file cannot react to writes, so the fake kernel never creates `gpioN` on `export`: tests that
/// need an exported line pre-create `gpioN/{direction,value,active_low}` (as if the line had been exported
/// before), and the export path is checked by reading back what was written to `export`.
final class FakeSysfs {
    let root: String
    /// The sysfs directory inside the tree, as the lamps take it (`/sys` on a device).
    var directory: String { root + "/sys" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lamps-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/sys/class/leds", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/sys/class/gpio", withIntermediateDirectories: true)
        try write("sys/class/gpio/export", "")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// An LED class device as the gpio-led overlay makes it, with a kernel trigger still active.
    func addLED(_ name: String, maxBrightness: Int? = 1) throws {
        let directory = "sys/class/leds/\(name)"
        try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        try write(directory + "/brightness", "0\n")
        try write(directory + "/trigger", "[default-on] none timer heartbeat\n")
        if let maxBrightness { try write(directory + "/max_brightness", "\(maxBrightness)\n") }
    }

    /// A GPIO chip directory as legacy sysfs shows it.
    func addChip(base: Int, label: String, ngpio: Int) throws {
        let directory = "sys/class/gpio/gpiochip\(base)"
        try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        try write(directory + "/label", label + "\n")
        try write(directory + "/base", "\(base)\n")
        try write(directory + "/ngpio", "\(ngpio)\n")
    }

    /// An already exported line: what the kernel would create after `echo N > export`.
    func addExportedLine(_ number: Int) throws {
        let directory = "sys/class/gpio/gpio\(number)"
        try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        try write(directory + "/direction", "in\n")
        try write(directory + "/value", "0\n")
        try write(directory + "/active_low", "0\n")
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + relative))
    }

    /// A file's contents without the trailing newline.
    func read(_ relative: String) throws -> String {
        let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    func brightness(_ led: String) throws -> String {
        try read("sys/class/leds/\(led)/brightness")
    }

    func value(_ number: Int) throws -> String {
        try read("sys/class/gpio/gpio\(number)/value")
    }
}
