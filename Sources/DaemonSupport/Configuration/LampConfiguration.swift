/// The lamp and relay mapping (`[lamps]` and `[lamps.ROLE]`).
public struct LampConfiguration: Sendable, Hashable {
    /// Root under which `class/leds` and `class/gpio` are looked up; tests point it at a temporary tree.
    public var sysfsRoot: String = "/sys"
    public var pass: LampOutput = .led(name: "gatecheck-green")
    public var fail: LampOutput = .led(name: "gatecheck-red")
    /// Device not fit to decide (no camera, stale trust, untrusted clock): blinks.
    public var fault: LampOutput = .led(name: "gatecheck-amber")
    public var buzzer: LampOutput?
    /// Gate relay: pulses on pass only and rests locked. nil = no relay.
    public var relay: LampOutput?

    public init() {}
}
