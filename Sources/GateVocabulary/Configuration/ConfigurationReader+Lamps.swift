import DaemonSupport
import Lamps

/// Reading `[lamps.ROLE]` tables: the backend decides which keys are allowed and required.
extension ConfigurationReader {
    static let roles = ["pass", "fail", "fault", "buzzer", "relay"]
    static let lampKeys: Set<String> = ["backend", "name", "chip", "offset", "active_low"]

    private enum Backend: String, CaseIterable {
        case led
        case gpio
        case console
    }

    /// The output for `role`, or nil when its table is absent.
    func lamp(_ role: String) throws(ConfigurationError) -> LampWiring? {
        let name = "lamps.\(role)"
        guard let table = table(name) else { return nil }
        guard let backend = try word(name, "backend", as: Backend.self) else {
            throw missing(name, "backend", table.line, "every lamp table needs backend = \"led\", \"gpio\" or \"console\"")
        }
        let used: Set<String> =
            switch backend {
            case .led: ["backend", "name"]
            case .gpio: ["backend", "chip", "offset", "active_low"]
            case .console: ["backend"]
            }
        if let stray = table.entries.values.filter({ !used.contains($0.key) }).min(by: { $0.line < $1.line }) {
            throw error(.unknownKey, table.path(of: stray.key), stray.line, "not used by backend \"\(backend.rawValue)\"")
        }
        switch backend {
        case .led:
            guard let led = try string(name, "name") else {
                throw missing(name, "name", table.line, "backend \"led\" needs the LED class device's name")
            }
            guard !led.contains("/"), led != ".", led != ".." else {
                throw error(.invalidValue, "\(name).name", entry(name, "name")!.line, "an LED name is one path component")
            }
            return .led(name: led)
        case .gpio:
            guard let chip = try string(name, "chip") else {
                throw missing(name, "chip", table.line, "backend \"gpio\" needs the chip label (e.g. \"pinctrl-bcm2711\")")
            }
            guard let offset = try integer(name, "offset", in: 0...1023) else {
                throw missing(name, "offset", table.line, "backend \"gpio\" needs the line offset on the chip")
            }
            return .gpio(chipLabel: chip, offset: offset, activeLow: try boolean(name, "active_low") ?? false)
        case .console:
            return .console
        }
    }

    /// Two roles on one LED or GPIO line would make pass and fail indistinguishable.
    func checkDistinct(_ lamps: LampConfiguration) throws(ConfigurationError) {
        var seen: [LampWiring: String] = [:]
        for role in Self.roles {
            guard let output = LampRole(rawValue: role).flatMap({ lamps[$0] }), output != .console else { continue }
            let identity: LampWiring =
                if case .gpio(let chip, let offset, _) = output { .gpio(chipLabel: chip, offset: offset, activeLow: false) } else { output }
            if let other = seen[identity] {
                let key = if case .led = output { "lamps.\(role).name" } else { "lamps.\(role).offset" }
                let line = entry("lamps.\(role)", "name")?.line ?? entry("lamps.\(role)", "offset")?.line
                    ?? table("lamps.\(role)")?.line ?? 0
                throw error(.invalidValue, key, line, "the same output is already used by lamps.\(other)")
            }
            seen[identity] = role
        }
    }

    private func missing(_ table: String, _ key: String, _ line: Int, _ detail: String) -> ConfigurationError {
        error(.missingKey, "\(table).\(key)", line, detail)
    }
}
