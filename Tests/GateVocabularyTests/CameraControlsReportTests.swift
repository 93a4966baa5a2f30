import JSON
import Testing

@testable import GateVocabulary
import V4L2Capture

/// `gatecheck camera list --controls`: the stable JSON of one control and the v4l2-ctl-like lines.
@Suite("Camera controls report")
struct CameraControlsReportTests {
    static let states = [
        V4L2ControlState(
            info: V4L2ControlInfo(
                id: V4L2ControlID.brightness, label: "Brightness", type: .integer, minimum: 0, maximum: 255, step: 1,
                defaultValue: 128),
            value: 140),
        V4L2ControlState(
            info: V4L2ControlInfo(
                id: V4L2ControlID.powerLineFrequency, label: "Power Line Frequency", type: .menu, minimum: 0, maximum: 2,
                step: 1, defaultValue: 2,
                menu: [.init(index: 0, name: "Disabled"), .init(index: 1, name: "50 Hz"), .init(index: 2, name: "60 Hz")]),
            value: 1),
        V4L2ControlState(
            info: V4L2ControlInfo(
                id: V4L2ControlID.exposureAbsolute, label: "Exposure (Absolute)", type: .integer64, minimum: 3,
                maximum: 2047, step: 1, defaultValue: 250, flags: [.inactive, .writeOnly]),
            value: nil),
    ]

    @Test func jsonShapeIsStable() throws {
        let brightness = CameraControlsReport.json(Self.states[0])
        #expect(
            JSONWriter.string(brightness, memberOrder: .sortedByUTF16)
                == #"{"default":128,"flags":[],"hexId":"0x00980900","id":9963776,"label":"Brightness","maximum":255,"#
                + #""menu":[],"minimum":0,"name":"brightness","step":1,"type":"int","value":140}"#)
        let menu = CameraControlsReport.json(Self.states[1])
        #expect(
            JSONWriter.string(menu, memberOrder: .sortedByUTF16)
                == #"{"default":2,"flags":[],"hexId":"0x00980918","id":9963800,"label":"Power Line Frequency","maximum":2,"#
                + #""menu":[{"index":0,"name":"Disabled"},{"index":1,"name":"50 Hz"},{"index":2,"name":"60 Hz"}],"#
                + #""minimum":0,"name":"power_line_frequency","step":1,"type":"menu","value":1}"#)
        let unreadable = CameraControlsReport.json(Self.states[2])
        guard case .object(let members) = unreadable else {
            Issue.record("not an object")
            return
        }
        #expect(members["value"] == .null)
        #expect(members["type"] == "int64")
        #expect(members["flags"] == ["inactive", "write-only"])
        #expect(members.names == ["id", "hexId", "name", "label", "type", "minimum", "maximum", "step", "default", "value", "flags", "menu"])
    }

    @Test func linesReadLikeV4L2Ctl() {
        let lines = CameraControlsReport.lines(Self.states, indent: "")
        #expect(lines[0] == "          brightness 0x00980900 (int)     : min=0 max=255 step=1 default=128 value=140")
        #expect(lines[1] == "power_line_frequency 0x00980918 (menu)    : min=0 max=2 default=2 value=1")
        #expect(lines[2] == "                        0: Disabled")
        #expect(lines[5].hasSuffix("(int64)   : min=3 max=2047 step=1 default=250 flags=inactive,write-only"))
        #expect(lines.count == 6)
    }
}
