extension V4L2Camera {
    /// Opens `path`, runs `body` on the open device and closes it, whether `body` threw or not. `body`'s error
    /// comes first; a failing close is reported only when `body` succeeded.
    static func withOpenDevice<Value>(
        path: String, device: any V4L2Device, _ body: () throws(V4L2DeviceError) -> Value
    ) throws(V4L2DeviceError) -> Value {
        try device.open(path: path)
        let result: Result<Value, V4L2DeviceError>
        do {
            result = .success(try body())
        } catch {
            result = .failure(error)
        }
        let closed: Result<Void, V4L2DeviceError>
        do {
            try device.close()
            closed = .success(())
        } catch {
            closed = .failure(error)
        }
        let value = try result.get()
        try closed.get()
        return value
    }

    /// Every control of the device at `path` with its current value, for `gatecheck camera list --controls`:
    /// opens the node, enumerates (bounded by ``V4L2CameraSettings/controlLimit``), reads each value, closes.
    /// Class headings ("User Controls") are left out; a value that cannot be read is nil.
    public static func controls(path: String, device: any V4L2Device) throws(V4L2DeviceError) -> [V4L2ControlState] {
        try withOpenDevice(path: path, device: device) { () throws(V4L2DeviceError) in try controlsOpen(device: device) }
    }

    private static func controlsOpen(device: any V4L2Device) throws(V4L2DeviceError) -> [V4L2ControlState] {
        let controls = try device.enumerateControls(
            limit: V4L2CameraSettings.controlLimit, menuLimit: V4L2CameraSettings.menuLimit)
        var states: [V4L2ControlState] = []
        for control in controls where control.type != .controlClass {
            var value: Int64?
            if control.type.hasIntegerValue, !control.flags.contains(.writeOnly), !control.flags.contains(.disabled) {
                do {
                    value = try device.getControl(control)
                } catch where !error.isDeviceGone {
                    value = nil  // inactive or busy controls may refuse to be read; the listing goes on
                }
            }
            states.append(V4L2ControlState(info: control, value: value))
        }
        return states
    }
}
