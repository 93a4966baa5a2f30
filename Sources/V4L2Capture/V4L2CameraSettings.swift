import Glibc

/// The camera settings for code reading that `[camera]` of gatecheck.conf gives: each is optional, and
/// an unset one leaves the camera as it is. ``V4L2Camera`` applies them at every open (so after every
/// reconnect too); a control the camera lacks is reported once and skipped, never an error.
public struct V4L2CameraSettings: Hashable, Sendable {
    /// Continuous autofocus, or autofocus off at a fixed focus position.
    public enum Focus: Hashable, Sendable {
        case continuous
        /// `focus_absolute`, in the driver's units (UVC: larger is nearer).
        case fixed(Int)
    }

    /// The mains frequency the camera's anti-flicker filter works against (`power_line_frequency`).
    public enum PowerLineFrequency: String, Hashable, Sendable, CaseIterable {
        case disabled
        case hz50 = "50"
        case hz60 = "60"
        case auto

        /// The menu index of `V4L2_CID_POWER_LINE_FREQUENCY`.
        public var menuIndex: Int64 {
            switch self {
            case .disabled: 0
            case .hz50: 1
            case .hz60: 2
            case .auto: 3
            }
        }
    }

    /// One control write the settings make.
    public struct ControlWrite: Hashable, Sendable {
        public var id: UInt32
        /// The control's `v4l2-ctl` name, for log lines.
        public var name: String
        public var value: Int64
    }

    /// Manual exposure time in units of 100 µs (`exposure_absolute`; `exposure_auto` is set to manual first).
    public var exposure: Int?
    /// `gain`, in the driver's units; raise it when the exposure is short.
    public var gain: Int?
    public var focus: Focus?
    public var powerLineFrequency: PowerLineFrequency?
    /// A region of interest on the sensor (`VIDIOC_S_SELECTION`, `V4L2_SEL_TGT_CROP`), set before the format.
    public var crop: V4L2Rectangle?

    public init(
        exposure: Int? = nil, gain: Int? = nil, focus: Focus? = nil, powerLineFrequency: PowerLineFrequency? = nil,
        crop: V4L2Rectangle? = nil
    ) {
        self.exposure = exposure
        self.gain = gain
        self.focus = focus
        self.powerLineFrequency = powerLineFrequency
        self.crop = crop
    }

    /// The control writes, in the order they are made: a mode before the value it unlocks
    /// (exposure_auto before exposure_absolute, focus_auto before focus_absolute).
    public var controlWrites: [ControlWrite] {
        var writes: [ControlWrite] = []
        if let exposure {
            writes.append(.init(id: V4L2ControlID.exposureAuto, name: "exposure_auto", value: V4L2ControlID.exposureManual))
            writes.append(.init(id: V4L2ControlID.exposureAbsolute, name: "exposure_absolute", value: Int64(exposure)))
        }
        if let gain { writes.append(.init(id: V4L2ControlID.gain, name: "gain", value: Int64(gain))) }
        switch focus {
        case .continuous:
            writes.append(.init(id: V4L2ControlID.focusAuto, name: "focus_auto", value: 1))
        case .fixed(let position):
            writes.append(.init(id: V4L2ControlID.focusAuto, name: "focus_auto", value: 0))
            writes.append(.init(id: V4L2ControlID.focusAbsolute, name: "focus_absolute", value: Int64(position)))
        case nil:
            break
        }
        if let powerLineFrequency {
            writes.append(
                .init(id: V4L2ControlID.powerLineFrequency, name: "power_line_frequency", value: powerLineFrequency.menuIndex))
        }
        return writes
    }
}

/// What became of one setting at one open.
public enum V4L2SettingOutcome: Hashable, Sendable, CustomStringConvertible {
    /// Set; `readBack` is what the driver reports afterwards (it may round to the control's step).
    case applied(name: String, requested: Int64, readBack: Int64?)
    /// The camera has no such control (or it is disabled or read-only): skipped.
    case missing(name: String)
    /// The camera refused the value (out of range, busy, inactive): skipped.
    case rejected(name: String, requested: Int64, error: V4L2DeviceError)
    /// The crop the driver settled on.
    case cropped(requested: V4L2Rectangle, applied: V4L2Rectangle)
    /// The camera cannot crop (no `VIDIOC_S_SELECTION` crop target): skipped.
    case cropUnsupported(requested: V4L2Rectangle, error: V4L2DeviceError)

    public var name: String {
        switch self {
        case .applied(let name, _, _), .missing(let name), .rejected(let name, _, _): name
        case .cropped, .cropUnsupported: "crop"
        }
    }

    /// True when the setting did not take effect.
    public var isSkipped: Bool {
        switch self {
        case .applied, .cropped: false
        case .missing, .rejected, .cropUnsupported: true
        }
    }

    public var description: String {
        switch self {
        case .applied(let name, let requested, let readBack):
            let back = readBack.map { $0 == requested ? "" : " (the camera reports \($0))" } ?? ""
            return "\(name) set to \(requested)\(back)"
        case .missing(let name):
            return "the camera has no settable control \(name); skipped"
        case .rejected(let name, let requested, let error):
            return "the camera refused \(name) = \(requested) (\(error)); skipped"
        case .cropped(let requested, let applied):
            return requested == applied ? "cropped to \(applied)" : "cropped to \(applied) (asked for \(requested))"
        case .cropUnsupported(let requested, let error):
            return "the camera cannot crop to \(requested) (\(error)); skipped"
        }
    }
}

extension V4L2CameraSettings {
    /// Controls enumerated at most per device (vivid has about 100; UVC cameras 20 to 40).
    public static let controlLimit = 256
    /// Entries read at most per menu control.
    public static let menuLimit = 64

    /// Sets the control writes on an open device. A control the device lacks, or a value it refuses, is an
    /// outcome, not an error; only a failure that loses the device (ENODEV) or of the enumeration throws.
    public func applyControls(to device: any V4L2Device) throws(V4L2DeviceError) -> [V4L2SettingOutcome] {
        let writes = controlWrites
        guard !writes.isEmpty else { return [] }
        let controls = try device.enumerateControls(limit: Self.controlLimit, menuLimit: Self.menuLimit)
        var outcomes: [V4L2SettingOutcome] = []
        for write in writes {
            guard let control = controls.first(where: { $0.id == write.id }), control.isSettable else {
                outcomes.append(.missing(name: write.name))
                continue
            }
            do {
                try device.setControl(control, value: write.value)
            } catch where !error.isDeviceGone {
                outcomes.append(.rejected(name: write.name, requested: write.value, error: error))
                continue
            }
            let readBack: Int64?
            do {
                readBack = try device.getControl(control)
            } catch where !error.isDeviceGone {
                readBack = nil
            }
            outcomes.append(.applied(name: write.name, requested: write.value, readBack: readBack))
        }
        return outcomes
    }

    /// Sets the crop, if any, on an open device before its format is set; nil when there is none.
    public func applyCrop(to device: any V4L2Device) throws(V4L2DeviceError) -> V4L2SettingOutcome? {
        guard let crop else { return nil }
        do {
            return .cropped(requested: crop, applied: try device.setCrop(crop))
        } catch where !error.isDeviceGone {
            return .cropUnsupported(requested: crop, error: error)
        }
    }
}
