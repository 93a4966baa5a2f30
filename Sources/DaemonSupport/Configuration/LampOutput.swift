/// Where one lamp role (pass, fail, fault, buzzer, relay) is wired.
public enum LampOutput: Sendable, Hashable {
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
}
