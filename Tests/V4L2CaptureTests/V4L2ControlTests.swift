import Frames
import Testing
@testable import V4L2Capture

import Glibc

/// A UVC-like control set: a class heading, user controls, and camera-class exposure and power-line menus.
func uvcLikeControls(withFocus: Bool = true) -> [V4L2ControlInfo] {
    var controls = [
        V4L2ControlInfo(id: 0x0098_0001, label: "User Controls", type: .controlClass, flags: [.readOnly, .writeOnly]),
        V4L2ControlInfo(
            id: V4L2ControlID.brightness, label: "Brightness", type: .integer, minimum: 0, maximum: 255, step: 1,
            defaultValue: 128),
        V4L2ControlInfo(id: V4L2ControlID.gain, label: "Gain", type: .integer, minimum: 0, maximum: 255, step: 1, defaultValue: 0),
        V4L2ControlInfo(
            id: V4L2ControlID.powerLineFrequency, label: "Power Line Frequency", type: .menu, minimum: 0, maximum: 2,
            step: 1, defaultValue: 2,
            menu: [.init(index: 0, name: "Disabled"), .init(index: 1, name: "50 Hz"), .init(index: 2, name: "60 Hz")]),
        V4L2ControlInfo(
            id: V4L2ControlID.exposureAuto, label: "Exposure, Auto", type: .menu, minimum: 0, maximum: 3, step: 1,
            defaultValue: 3, menu: [.init(index: 1, name: "Manual Mode"), .init(index: 3, name: "Aperture Priority Mode")]),
        V4L2ControlInfo(
            id: V4L2ControlID.exposureAbsolute, label: "Exposure (Absolute)", type: .integer, minimum: 3, maximum: 2047,
            step: 1, defaultValue: 250, flags: [.inactive]),
    ]
    if withFocus {
        controls += [
            V4L2ControlInfo(
                id: V4L2ControlID.focusAbsolute, label: "Focus (absolute)", type: .integer, minimum: 0, maximum: 250,
                step: 5, defaultValue: 0),
            V4L2ControlInfo(id: V4L2ControlID.focusAuto, label: "Focus, Auto", type: .boolean, minimum: 0, maximum: 1, step: 1, defaultValue: 1),
        ]
    }
    return controls
}

func makeCamera(_ fake: FakeV4L2Device, settings: V4L2CameraSettings, recorder: SleepRecorder = SleepRecorder(), reports: ReportRecorder)
    -> V4L2Camera
{
    let configuration = V4L2Camera.Configuration(
        path: "/dev/fake-camera", width: testWidth, height: testHeight, pollTimeoutMilliseconds: 2000, settings: settings)
    return V4L2Camera(configuration: configuration, device: fake, sleep: recorder.sleep, report: reports.report)
}

final class ReportRecorder {
    var lines: [String] = []
    func report(_ outcome: V4L2SettingOutcome) { lines.append("\(outcome)") }
}

@Suite("Camera controls")
struct V4L2ControlTests {
    @Test func namesAndTypesAsV4L2CtlPrintsThem() {
        let controls = uvcLikeControls()
        #expect(controls.map(\.name) == [
            "user_controls", "brightness", "gain", "power_line_frequency", "exposure_auto", "exposure_absolute",
            "focus_absolute", "focus_auto",
        ])
        #expect(controls[1].hexID == "0x00980900")
        #expect(V4L2ControlID.exposureAuto == 0x009A_0901 && V4L2ControlID.exposureAbsolute == 0x009A_0902)
        #expect(V4L2ControlID.focusAuto == 0x009A_090C && V4L2ControlID.powerLineFrequency == 0x0098_0918)
        #expect(V4L2ControlID.gain == 0x0098_0913)
        #expect(V4L2ControlType(rawValue: 3).description == "menu" && V4L2ControlType(rawValue: 9) == .integerMenu)
        #expect(V4L2ControlInfo.Flags([.readOnly, .inactive]).names == ["read-only", "inactive"])
    }

    /// The structures the control ioctls pass are laid out as the kernel expects (two of them are packed).
    @Test func controlStructuresHaveTheKernelsSizes() {
        for entry in LibV4L2Device.controlStructureSizes {
            #expect(entry.swift == entry.c, "\(entry.name): Swift \(entry.swift) bytes, C \(entry.c)")
        }
        #if arch(x86_64) || arch(arm64)
            #expect(LibV4L2Device.controlStructureSizes.map(\.c) == [68, 44, 8, 20, 32, 64])  // videodev2.h on 64-bit
        #endif
    }

    @Test func listingReadsEveryValueAndLeavesOutClassHeadings() throws {
        let fake = FakeV4L2Device()
        fake.controls = uvcLikeControls()
        fake.controlValues[V4L2ControlID.brightness] = 99
        let states = try V4L2Camera.controls(path: "/dev/video0", device: fake)
        #expect(states.map(\.info.name).first == "brightness")
        #expect(states.count == 7)
        #expect(states.first { $0.info.id == V4L2ControlID.brightness }?.value == 99)
        #expect(states.first { $0.info.id == V4L2ControlID.exposureAuto }?.value == 3)
        #expect(states.first { $0.info.id == V4L2ControlID.exposureAuto }?.info.menu.count == 2)
        expectNoLeaks(fake)
    }

    @Test func settingsAreAppliedAtOpenAndReadBack() throws {
        let fake = FakeV4L2Device()
        fake.controls = uvcLikeControls()
        fake.steps = [.ready([greyFrame(1)])]
        let reports = ReportRecorder()
        let settings = V4L2CameraSettings(exposure: 30, gain: 180, focus: .fixed(200), powerLineFrequency: .hz50)
        let camera = makeCamera(fake, settings: settings, reports: reports)
        #expect(try camera.nextFrame() != nil)
        #expect(fake.controlWrites.map(\.id) == [
            V4L2ControlID.exposureAuto, V4L2ControlID.exposureAbsolute, V4L2ControlID.gain, V4L2ControlID.focusAuto,
            V4L2ControlID.focusAbsolute, V4L2ControlID.powerLineFrequency,
        ])
        #expect(fake.controlWrites.map(\.value) == [1, 30, 180, 0, 200, 1])
        #expect(camera.settingOutcomes.allSatisfy { !$0.isSkipped })
        #expect(camera.settingOutcomes.contains(.applied(name: "gain", requested: 180, readBack: 180)))
        #expect(reports.lines.count == 6)
        camera.close()
        // The device keeps its values, as a real one does: a listing afterwards reads them back.
        let listed = try V4L2Camera.controls(path: "/dev/video0", device: fake)
        #expect(listed.first { $0.info.id == V4L2ControlID.exposureAbsolute }?.value == 30)
        expectNoLeaks(fake)
    }

    @Test func continuousFocusTurnsAutofocusOn() {
        let writes = V4L2CameraSettings(focus: .continuous).controlWrites
        #expect(writes.map(\.name) == ["focus_auto"] && writes.map(\.value) == [1])
        #expect(V4L2CameraSettings().controlWrites.isEmpty)
        #expect(V4L2CameraSettings(powerLineFrequency: .auto).controlWrites.map(\.value) == [3])
    }

    @Test func aMissingControlIsSkippedAndReportedOnceAcrossReconnects() throws {
        let fake = FakeV4L2Device()
        fake.controls = uvcLikeControls(withFocus: false)
        fake.steps = [.ready([greyFrame(1)]), .hangup, .ready([greyFrame(2)])]
        let reports = ReportRecorder()
        let recorder = SleepRecorder()
        let settings = V4L2CameraSettings(gain: 200, focus: .continuous)
        let camera = makeCamera(fake, settings: settings, recorder: recorder, reports: reports)
        #expect(try camera.nextFrame() != nil)
        #expect(camera.settingOutcomes == [.applied(name: "gain", requested: 200, readBack: 200), .missing(name: "focus_auto")])
        #expect(thrownCode(camera) == .deviceLost)

        // The camera comes back with its defaults: the settings are written again, and nothing new is reported.
        fake.controlValues = [:]
        #expect(try camera.nextFrame() != nil)
        #expect(fake.controlEnumerations == 2)
        #expect(fake.controlWrites.map(\.value) == [200, 200])
        #expect(camera.statistics.reconnects == 1)
        #expect(reports.lines.filter { $0.contains("focus_auto") }.count == 1)
        #expect(reports.lines.count == 2)
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func aRefusedValueIsSkippedNotAnError() throws {
        let fake = FakeV4L2Device()
        fake.controls = uvcLikeControls()
        fake.steps = [.ready([greyFrame(1)])]
        let reports = ReportRecorder()
        let camera = makeCamera(fake, settings: V4L2CameraSettings(gain: 1000), reports: reports)
        #expect(try camera.nextFrame() != nil)
        #expect(camera.settingOutcomes == [.rejected(name: "gain", requested: 1000, error: .init(call: "VIDIOC_S_CTRL", errno: ERANGE))])
        #expect(reports.lines.count == 1 && reports.lines[0].contains("refused gain = 1000"))
        camera.close()
        expectNoLeaks(fake)
    }

    @Test func cropComesBeforeTheFormatOrIsSkippedWhenUnsupported() throws {
        let region = V4L2Rectangle(left: 320, top: 180, width: 640, height: 360)
        let fake = FakeV4L2Device()
        fake.crop = { requested in V4L2Rectangle(left: requested.left, top: requested.top, width: 640, height: 352) }
        fake.steps = [.ready([greyFrame(1)])]
        let reports = ReportRecorder()
        let camera = makeCamera(fake, settings: V4L2CameraSettings(crop: region), reports: reports)
        #expect(try camera.nextFrame() != nil)
        #expect(fake.cropRequests == [region])
        #expect(camera.settingOutcomes == [.cropped(requested: region, applied: .init(left: 320, top: 180, width: 640, height: 352))])
        camera.close()
        expectNoLeaks(fake)

        let plain = FakeV4L2Device()
        plain.steps = [.ready([greyFrame(1)])]
        let skipped = makeCamera(plain, settings: V4L2CameraSettings(crop: region), reports: reports)
        #expect(try skipped.nextFrame() != nil)
        #expect(skipped.settingOutcomes.first?.isSkipped == true)
        #expect(reports.lines.last?.contains("cannot crop") == true)
        skipped.close()
        expectNoLeaks(plain)
    }
}
