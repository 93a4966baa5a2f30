import JSON
import V4L2Capture

/// `gatecheck camera list --controls`: a camera's controls as `v4l2-ctl -l` prints them, and as JSON.
///
/// The JSON of one control is stable (docs/daemon.md, "Camera controls"):
/// `{"id", "hexId", "name", "label", "type", "minimum", "maximum", "step", "default", "value", "flags", "menu"}`:
/// `value` is null when it cannot be read (write-only, buttons, strings); `flags` lists `v4l2-ctl`'s flag names;
/// `menu` lists `{"index", "name"}` (and `"value"` for integer menus), empty for other types.
public enum CameraControlsReport {
    /// One control as JSON, members in the order above (the writer sorts them when asked).
    public static func json(_ state: V4L2ControlState) -> JSONValue {
        let info = state.info
        let menu: [JSONValue] = info.menu.map { item in
            var members: [(String, JSONValue)] = [("index", .integer(item.index)), ("name", .string(item.name))]
            if let value = item.value { members.append(("value", .integer(value))) }
            return .object(members)
        }
        return .object([
            ("id", .integer(Int64(info.id))),
            ("hexId", .string(info.hexID)),
            ("name", .string(info.name)),
            ("label", .string(info.label)),
            ("type", .string(info.type.description)),
            ("minimum", .integer(info.minimum)),
            ("maximum", .integer(info.maximum)),
            ("step", .number(JSONNumber(Int64(clamping: info.step)))),
            ("default", .integer(info.defaultValue)),
            ("value", state.value.map { .integer($0) } ?? .null),
            ("flags", .array(info.flags.names.map { .string($0) })),
            ("menu", .array(menu)),
        ])
    }

    /// The controls as `v4l2-ctl -l` prints them: the name right-aligned, id, type, range, value, flags; menu
    /// entries below their control.
    public static func lines(_ states: [V4L2ControlState], indent: String = "  ") -> [String] {
        let width = min(32, states.map { $0.info.name.count }.max() ?? 0)
        var lines: [String] = []
        for state in states {
            let info = state.info
            let padding = String(repeating: " ", count: max(0, width - info.name.count))
            let type = "(\(info.type))"
            var fields: [String] = []
            switch info.type {
            case .integer, .integer64, .bitmask:
                fields = ["min=\(info.minimum)", "max=\(info.maximum)", "step=\(info.step)", "default=\(info.defaultValue)"]
            case .boolean:
                fields = ["default=\(info.defaultValue)"]
            case .menu, .integerMenu:
                fields = ["min=\(info.minimum)", "max=\(info.maximum)", "default=\(info.defaultValue)"]
            case .button, .controlClass, .string, .other:
                fields = []
            }
            if let value = state.value { fields.append("value=\(value)") }
            if !info.flags.names.isEmpty { fields.append("flags=\(info.flags.names.joined(separator: ","))") }
            lines.append(
                "\(indent)\(padding)\(info.name) \(info.hexID) \(type.padding(toLength: 10))"
                    + (fields.isEmpty ? "" : ": " + fields.joined(separator: " ")))
            for item in info.menu {
                let label = item.value.map { "\($0)" } ?? item.name
                lines.append("\(indent)\(String(repeating: " ", count: width + 4))\(item.index): \(label)")
            }
        }
        return lines
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
