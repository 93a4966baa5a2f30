import SystemCalls

/// A lamp behind the kernel's LED class: `<sysfs>/class/leds/NAME/brightness`.
///
/// This is the preferred lamp backend on a Pi (`dtoverlay=gpio-led,…,label=gatecheck-green`): the kernel owns
/// the pin and active-low wiring is set in the overlay, so GateCheck only writes a brightness.
public struct LEDClassOutput: LampOutput {
    public let name: String
    /// The LED's directory under the sysfs directory.
    public let directory: String
    /// The value written for "on": the LED's `max_brightness`, or 1 when that file is absent or unreadable.
    public let onBrightness: Int

    /// Opens the LED, reads its `max_brightness` once and sets `trigger` to `none`, so that no kernel
    /// trigger (heartbeat, mmc activity, a `default-on` from the overlay) fights the patterns.
    ///
    /// - Parameters:
    ///   - name: the LED class name, e.g. `gatecheck-green`; a plain name, no slashes.
    ///   - sysfs: the sysfs directory, `/sys` on a device (tests pass a temporary tree).
    public init(name: String, sysfs: String = "/sys") throws(LampError) {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw LampError(.badConfiguration, "LED name '\(name)' is not a plain sysfs name")
        }
        self.name = name
        directory = SysfsAttributes.path(sysfs, "class/leds/\(name)")
        guard Files.exists(directory) else {
            throw LampError(.notFound, "\(directory) does not exist (is the gpio-led overlay loaded with label=\(name)?)")
        }
        // A missing max_brightness is tolerated (1 is right for every GPIO LED); garbage is not.
        let text: String
        do throws(LampError) {
            text = try SysfsAttributes.read(directory + "/max_brightness")
        } catch where error.code == .notFound {
            text = "1"
        }
        guard let value = Int(text), value > 0 else {
            throw LampError(.unexpectedContent, "\(directory)/max_brightness holds '\(text)', not a positive number")
        }
        onBrightness = value
        try SysfsAttributes.write(directory + "/trigger", "none")
    }

    public func set(_ on: Bool) throws(LampError) {
        try SysfsAttributes.write(directory + "/brightness", on ? String(onBrightness) : "0")
    }
}
