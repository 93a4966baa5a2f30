/// Where one lamp role (pass, fail, fault, buzzer, relay) is wired: what `[lamps.ROLE]` in gatecheck.conf says.
public enum LampWiring: Sendable, Hashable {
    /// An LED class device, `/sys/class/leds/NAME/brightness` (the Pi's `gpio-led` overlay).
    case led(name: String)
    /// A legacy sysfs GPIO line addressed as chip label + offset, never a global number: the base
    /// moves between Pi models and kernels (0, 512, 571).
    case gpio(chipLabel: String, offset: Int, activeLow: Bool)
    /// Printed on the terminal (demo and development).
    case console

    /// The `backend` word in the configuration file.
    public var backend: String {
        switch self {
        case .led: "led"
        case .gpio: "gpio"
        case .console: "console"
        }
    }

    /// The output for `role`. LED class and GPIO outputs check their sysfs nodes now, so a wrong name fails at
    /// start, not at the first verdict.
    public func output(
        for role: LampRole, sysfs: String, console: @escaping @Sendable (String) -> Void
    ) throws(LampError) -> any LampOutput {
        switch self {
        case .led(let name): try LEDClassOutput(name: name, sysfs: sysfs)
        case .gpio(let chip, let offset, let activeLow): try GPIOOutput(chipLabel: chip, offset: offset, activeLow: activeLow, sysfs: sysfs)
        case .console: ConsoleOutput(name: role.consoleLabel, write: console)
        }
    }
}
