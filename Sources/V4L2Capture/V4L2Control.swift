import CV4L2

/// The V4L2 control IDs GateCheck sets for code reading (`V4L2_CID_*`).
public enum V4L2ControlID {
    public static let brightness = gatecheck_v4l2_cid_brightness
    public static let contrast = gatecheck_v4l2_cid_contrast
    public static let gain = gatecheck_v4l2_cid_gain
    /// A menu: 0 disabled, 1 50 Hz, 2 60 Hz, 3 auto.
    public static let powerLineFrequency = gatecheck_v4l2_cid_power_line_frequency
    /// A menu: 0 auto, 1 manual, 2 shutter priority, 3 aperture priority.
    public static let exposureAuto = gatecheck_v4l2_cid_exposure_auto
    /// Exposure time in units of 100 µs.
    public static let exposureAbsolute = gatecheck_v4l2_cid_exposure_absolute
    public static let focusAbsolute = gatecheck_v4l2_cid_focus_absolute
    /// A boolean: continuous autofocus.
    public static let focusAuto = gatecheck_v4l2_cid_focus_auto

    /// `V4L2_EXPOSURE_MANUAL`, the value of ``exposureAuto`` for a fixed exposure time.
    public static let exposureManual: Int64 = 1
}

/// A control's type (`enum v4l2_ctrl_type`), with the wire names `v4l2-ctl -l` prints.
public enum V4L2ControlType: Hashable, Sendable, CustomStringConvertible {
    case integer, boolean, menu, button, integer64, controlClass, string, bitmask, integerMenu
    /// A compound or other type GateCheck does not read (arrays, codec parameters).
    case other(UInt32)

    public init(rawValue: UInt32) {
        switch rawValue {
        case 1: self = .integer
        case 2: self = .boolean
        case 3: self = .menu
        case 4: self = .button
        case 5: self = .integer64
        case 6: self = .controlClass
        case 7: self = .string
        case 8: self = .bitmask
        case 9: self = .integerMenu
        default: self = .other(rawValue)
        }
    }

    /// True for the types whose value is one integer that `VIDIOC_G_CTRL`/`VIDIOC_G_EXT_CTRLS` reads.
    public var hasIntegerValue: Bool {
        switch self {
        case .integer, .boolean, .menu, .integer64, .bitmask, .integerMenu: true
        case .button, .controlClass, .string, .other: false
        }
    }

    public var description: String {
        switch self {
        case .integer: "int"
        case .boolean: "bool"
        case .menu: "menu"
        case .button: "button"
        case .integer64: "int64"
        case .controlClass: "class"
        case .string: "str"
        case .bitmask: "bitmask"
        case .integerMenu: "intmenu"
        case .other(let raw): "type-0x\(String(raw, radix: 16))"
        }
    }
}

/// One entry of a menu control (`VIDIOC_QUERYMENU`): a name, or a number for integer menus.
public struct V4L2MenuItem: Hashable, Sendable {
    public var index: Int64
    /// The driver's name for a menu entry; for an integer menu, the number written out.
    public var name: String
    /// The value of an integer-menu entry (nil for plain menus).
    public var value: Int64?

    public init(index: Int64, name: String, value: Int64? = nil) {
        self.index = index
        self.name = name
        self.value = value
    }
}

/// What `VIDIOC_QUERYCTRL` reports about one control (and `VIDIOC_QUERYMENU` about its entries).
public struct V4L2ControlInfo: Hashable, Sendable {
    /// `V4L2_CTRL_FLAG_*` bits GateCheck reports.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let disabled = Flags(rawValue: 0x0001)
        public static let grabbed = Flags(rawValue: 0x0002)
        public static let readOnly = Flags(rawValue: 0x0004)
        public static let inactive = Flags(rawValue: 0x0010)
        public static let writeOnly = Flags(rawValue: 0x0040)
        public static let volatile = Flags(rawValue: 0x0080)

        /// The flags' names as `v4l2-ctl` prints them, in bit order.
        public var names: [String] {
            let known: [(Flags, String)] = [
                (.disabled, "disabled"), (.grabbed, "grabbed"), (.readOnly, "read-only"), (.inactive, "inactive"),
                (.writeOnly, "write-only"), (.volatile, "volatile"),
            ]
            return known.filter { contains($0.0) }.map(\.1)
        }
    }

    public var id: UInt32
    /// The driver's label ("Brightness", "Exposure, Auto"), at most 31 bytes (the kernel's field).
    public var label: String
    public var type: V4L2ControlType
    public var minimum: Int64
    public var maximum: Int64
    public var step: UInt64
    public var defaultValue: Int64
    public var flags: Flags
    /// The entries of a menu or integer menu; empty for other types.
    public var menu: [V4L2MenuItem]

    public init(
        id: UInt32, label: String, type: V4L2ControlType, minimum: Int64 = 0, maximum: Int64 = 0, step: UInt64 = 0,
        defaultValue: Int64 = 0, flags: Flags = [], menu: [V4L2MenuItem] = []
    ) {
        self.id = id
        self.label = label
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.defaultValue = defaultValue
        self.flags = flags
        self.menu = menu
    }

    /// The name `v4l2-ctl` gives the control: the label lower-cased, every run of other characters one
    /// underscore ("Exposure, Auto" → "exposure_auto", "White Balance Temperature" → "white_balance_temperature").
    public var name: String {
        var name = ""
        var pendingUnderscore = false
        for scalar in label.unicodeScalars {
            if scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) {
                if pendingUnderscore && !name.isEmpty { name.append("_") }
                pendingUnderscore = false
                name.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            } else {
                pendingUnderscore = true
            }
        }
        return name
    }

    /// The id as `v4l2-ctl` prints it: `0x00980900`.
    public var hexID: String {
        let digits = String(id, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Whether a value can be read and set: not disabled, not a class heading, button or compound type.
    public var isSettable: Bool {
        type.hasIntegerValue && !flags.contains(.disabled) && !flags.contains(.readOnly)
    }
}

/// One control and its current value, as `gatecheck camera list --controls` shows it.
public struct V4L2ControlState: Hashable, Sendable {
    public var info: V4L2ControlInfo
    /// The current value; nil for types without an integer value, write-only controls, or when reading failed.
    public var value: Int64?

    public init(info: V4L2ControlInfo, value: Int64?) {
        self.info = info
        self.value = value
    }
}

/// A rectangle on the sensor (`struct v4l2_rect`), for ``V4L2Device/setCrop(_:)``.
public struct V4L2Rectangle: Hashable, Sendable, CustomStringConvertible {
    public var left: Int
    public var top: Int
    public var width: Int
    public var height: Int

    public init(left: Int, top: Int, width: Int, height: Int) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)+\(left)+\(top)" }
}
