import DaemonSupport
import Lamps

/// Builds the lamp panel's outputs and timings from `[lamps]` and `[timings]`.
enum LampWiring {
    /// How a console lamp is labelled: what a person at the gate would call it.
    static func consoleLabel(_ role: LampRole) -> String {
        switch role {
        case .pass: "GREEN (pass)"
        case .fail: "RED (fail)"
        case .fault: "AMBER (fault)"
        case .buzzer: "BUZZER"
        case .relay: "GATE RELAY (open)"
        }
    }

    /// One output per configured role. LED class and GPIO outputs check their sysfs nodes now, so a wrong
    /// name fails at start, not at the first verdict.
    static func outputs(
        _ configuration: LampConfiguration, console: @escaping @Sendable (String) -> Void
    ) throws(LampError) -> [LampRole: any Lamps.LampOutput] {
        let mapping: [(LampRole, DaemonSupport.LampOutput?)] = [
            (.pass, configuration.pass), (.fail, configuration.fail), (.fault, configuration.fault),
            (.buzzer, configuration.buzzer), (.relay, configuration.relay),
        ]
        var outputs: [LampRole: any Lamps.LampOutput] = [:]
        for case (let role, let wiring?) in mapping {
            switch wiring {
            case .led(let name):
                outputs[role] = try LEDClassOutput(name: name, sysfs: configuration.sysfsRoot)
            case .gpio(let chip, let offset, let activeLow):
                outputs[role] = try GPIOOutput(
                    chipLabel: chip, offset: offset, activeLow: activeLow, sysfs: configuration.sysfsRoot)
            case .console:
                outputs[role] = ConsoleOutput(name: consoleLabel(role), write: console)
            }
        }
        return outputs
    }

    static func timings(_ configured: DaemonSupport.LampTimings, hasBuzzer: Bool) -> Lamps.LampTimings {
        Lamps.LampTimings(
            pass: configured.pass,
            fail: configured.fail,
            relayPulse: configured.relayPulse,
            failBeep: hasBuzzer ? min(.milliseconds(200), configured.fail) : nil,
            faultBlinkPeriod: configured.faultBlink * 2,
            importPeriod: .milliseconds(500)
        )
    }
}
