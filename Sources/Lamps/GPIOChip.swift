/// One GPIO chip as legacy sysfs shows it: `<sysfs>/class/gpio/gpiochipN/{label,base,ngpio}`.
///
/// The base is assigned at boot and differs between Pi models and kernels (0, 512, 571), so pins are named by
/// chip label and line offset and the global number is computed here, never configured.
public struct GPIOChip: Hashable, Sendable, CustomStringConvertible {
    /// The directory name, e.g. `gpiochip512`.
    public let directoryName: String
    /// The driver's label, e.g. `pinctrl-bcm2711`, `pinctrl-bcm2835`, `pinctrl-rp1`.
    public let label: String
    /// The global number of line 0.
    public let base: Int
    /// The number of lines.
    public let ngpio: Int

    public init(directoryName: String, label: String, base: Int, ngpio: Int) {
        self.directoryName = directoryName
        self.label = label
        self.base = base
        self.ngpio = ngpio
    }

    public var description: String { "\(directoryName) (\(label), base \(base), \(ngpio) lines)" }

    /// Every chip under `<sysfs>/class/gpio`, sorted by directory name.
    ///
    /// - Parameter sysfs: the sysfs directory, `/sys` on a device (tests pass a temporary tree).
    public static func all(sysfs: String = "/sys") throws(LampError) -> [GPIOChip] {
        let gpioDirectory = SysfsAttributes.path(sysfs, "class/gpio")
        var chips: [GPIOChip] = []
        for entry in try SysfsAttributes.list(gpioDirectory) where entry.hasPrefix("gpiochip") {
            let chipDirectory = gpioDirectory + "/" + entry
            let label = try SysfsAttributes.read(chipDirectory + "/label")
            let base = try number(chipDirectory + "/base")
            let ngpio = try number(chipDirectory + "/ngpio")
            chips.append(GPIOChip(directoryName: entry, label: label, base: base, ngpio: ngpio))
        }
        return chips
    }

    /// The chip with `label`; an unknown label is `notFound` naming the labels that exist, and a label on
    /// two chips is `badConfiguration` (guessing would drive the wrong pin).
    public static func find(label: String, sysfs: String = "/sys") throws(LampError) -> GPIOChip {
        let chips = try all(sysfs: sysfs)
        let matching = chips.filter { $0.label == label }
        if matching.count > 1 {
            throw LampError(
                .badConfiguration,
                "GPIO chip label '\(label)' is ambiguous: \(matching.map(\.directoryName).joined(separator: ", "))"
            )
        }
        guard let chip = matching.first else {
            let seen = chips.isEmpty ? "none" : chips.map { "\($0.label) (\($0.directoryName))" }.joined(separator: ", ")
            throw LampError(
                .notFound,
                "no GPIO chip labelled '\(label)' under \(SysfsAttributes.path(sysfs, "class/gpio")); labels seen: \(seen)"
            )
        }
        return chip
    }

    private static func number(_ path: String) throws(LampError) -> Int {
        let text = try SysfsAttributes.read(path)
        guard let value = Int(text), value >= 0 else {
            throw LampError(.unexpectedContent, "\(path) holds '\(text)', not a non-negative number")
        }
        return value
    }
}
