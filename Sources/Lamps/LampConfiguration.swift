/// The lamp and relay mapping (`[lamps]` and `[lamps.ROLE]` in gatecheck.conf).
public struct LampConfiguration: Sendable, Hashable {
    /// Root under which `class/leds` and `class/gpio` are looked up; tests point it at a temporary tree.
    public var sysfsRoot: String = "/sys"
    public var pass: LampWiring = .led(name: "gatecheck-green")
    public var fail: LampWiring = .led(name: "gatecheck-red")
    /// Device not fit to decide (no camera, stale trust, untrusted clock): blinks.
    public var fault: LampWiring = .led(name: "gatecheck-amber")
    public var buzzer: LampWiring?
    /// Gate relay: pulses on pass only and rests locked. nil = no relay.
    public var relay: LampWiring?

    public init() {}

    /// Where `role` is wired; nil when it is not.
    public subscript(role: LampRole) -> LampWiring? {
        switch role {
        case .pass: pass
        case .fail: fail
        case .fault: fault
        case .buzzer: buzzer
        case .relay: relay
        }
    }

    /// One output per wired role, for ``LampPanel``. LED class and GPIO outputs check their sysfs nodes now.
    public func outputs(console: @escaping @Sendable (String) -> Void) throws(LampError) -> [LampRole: any LampOutput] {
        var outputs: [LampRole: any LampOutput] = [:]
        for role in LampRole.allCases {
            if let wiring = self[role] { outputs[role] = try wiring.output(for: role, sysfs: sysfsRoot, console: console) }
        }
        return outputs
    }
}
