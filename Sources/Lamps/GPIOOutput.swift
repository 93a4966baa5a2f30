import SystemCalls
import SystemPackage

/// An output on a legacy sysfs GPIO line, addressed as chip label + line offset.
///
/// Use it for a relay or buzzer wired to a plain pin; lamps are better served by `LEDClassOutput`. Raw global
/// numbers are deliberately not accepted: they change with the kernel (GPIO17 is 17, 529 or 588).
public struct GPIOOutput: LampOutput {
    public let name: String
    /// The resolved chip.
    public let chip: GPIOChip
    /// The line offset within the chip.
    public let offset: Int
    /// Whether "on" drives the pin low (sinking wiring, most relay boards).
    public let activeLow: Bool
    /// The line's directory, e.g. `/sys/class/gpio/gpio529`.
    public let directory: String

    /// The global number (`base + offset`) the kernel uses for this line.
    public var globalNumber: Int { chip.base + offset }

    /// Resolves the line, exports it when `gpioN` is absent, and makes it an output that starts off.
    ///
    /// Order matters: `active_low` is written first, then `direction` as `low`/`high` (the *physical* level,
    /// which the kernel sets together with the direction, so the pin never glitches on), then `value` as
    /// the logical off level.
    ///
    /// - Parameters:
    ///   - chipLabel: the chip's `label`, e.g. `pinctrl-bcm2711`.
    ///   - offset: the line on that chip (BCM GPIO number on a Pi); must be below the chip's `ngpio`.
    ///   - activeLow: drive the pin low for "on".
    ///   - sysfs: the sysfs directory, `/sys` on a device (tests pass a temporary tree).
    public init(chipLabel: String, offset: Int, activeLow: Bool = false, sysfs: String = "/sys") throws(LampError) {
        let chip = try GPIOChip.find(label: chipLabel, sysfs: sysfs)
        guard offset >= 0, offset < chip.ngpio else {
            throw LampError(.badConfiguration, "GPIO offset \(offset) is outside \(chip) (valid: 0..<\(chip.ngpio))")
        }
        self.chip = chip
        self.offset = offset
        self.activeLow = activeLow
        name = "\(chipLabel):\(offset)"
        let gpioDirectory = SysfsAttributes.path(sysfs, "class/gpio")
        directory = gpioDirectory + "/gpio\(chip.base + offset)"

        if !Files.exists(directory) {
            // EBUSY means another exporter (or an earlier run) got there first: the line is exported.
            try SysfsAttributes.write(gpioDirectory + "/export", String(chip.base + offset), tolerating: [.resourceBusy])
            guard Files.exists(directory) else {
                throw LampError(.notFound, "exporting \(chip.base + offset) to \(gpioDirectory)/export did not create \(directory)")
            }
            // A fresh gpioN is root-only until udev has run its chgrp rule; give udev up to a second.
            try Self.retryWhileDenied { () throws(LampError) in
                try SysfsAttributes.write(directory + "/active_low", activeLow ? "1" : "0")
            }
        }
        try SysfsAttributes.write(directory + "/active_low", activeLow ? "1" : "0")
        // Off is physically high for an active-low line.
        try SysfsAttributes.write(directory + "/direction", activeLow ? "high" : "low")
        try set(false)
    }

    /// Runs `body` again every 20 ms for up to 1 s while it fails with `permissionDenied`.
    private static func retryWhileDenied(_ body: () throws(LampError) -> Void) throws(LampError) {
        for _ in 0..<50 {
            do throws(LampError) {
                return try body()
            } catch where error.code == .permissionDenied {
                Waiting.sleep(.milliseconds(20))
            }
        }
        try body()
    }

    public func set(_ on: Bool) throws(LampError) {
        // `value` is logical: the kernel applies active_low.
        try SysfsAttributes.write(directory + "/value", on ? "1" : "0")
    }
}
