import Frames
import SystemCalls

import Glibc

extension V4L2Camera {
    /// Every `video*` node in `directory` that is a video capture device: its name, driver, formats,
    /// sizes and frame rates, for `gatecheck camera list`.
    ///
    /// Each enumeration is bounded (``enumerationLimit`` entries, as zbar does), so a buggy driver that
    /// never ends a list cannot hang the command. Nodes that cannot be opened or queried, or that do not
    /// capture (UVC metadata nodes, codecs, the Pi's ISP), are reported in ``V4L2DeviceList/skipped``.
    ///
    /// - Throws: ``FrameSourceError/Code/ioFailure`` when the directory cannot be read.
    public static func listDevices(
        in directory: String = "/dev",
        device: any V4L2Device = LibV4L2Device()
    ) throws(FrameSourceError) -> V4L2DeviceList {
        var devices: [V4L2DeviceInfo] = []
        var skipped: [V4L2DeviceList.Skipped] = []
        for name in try videoNodeNames(in: directory) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            do {
                if let info = try describe(path: path, device: device) {
                    devices.append(info)
                } else {
                    skipped.append(.init(path: path, reason: "not a video capture device with streaming I/O"))
                }
            } catch {
                skipped.append(.init(path: path, reason: "\(error)"))
            }
        }
        return V4L2DeviceList(devices: devices, skipped: skipped)
    }

    /// Opens `path`, describes it if it is a streaming capture device (nil otherwise), and closes it.
    public static func describe(path: String, device: any V4L2Device) throws(V4L2DeviceError) -> V4L2DeviceInfo? {
        try withOpenDevice(path: path, device: device) { () throws(V4L2DeviceError) in try describeOpen(path: path, device: device) }
    }

    private static func describeOpen(path: String, device: any V4L2Device) throws(V4L2DeviceError) -> V4L2DeviceInfo? {
        let capabilities = try device.queryCapabilities()
        guard capabilities.canCapture, capabilities.canStream else { return nil }
        var formats: [V4L2DeviceInfo.Format] = []
        for description in try device.enumerateFormats(limit: enumerationLimit) {
            var sizes: [V4L2DeviceInfo.Size] = []
            for size in try device.enumerateFrameSizes(pixelFormat: description.pixelFormat, limit: enumerationLimit) {
                let (width, height) = size.representative
                let intervals = try device.enumerateFrameIntervals(
                    pixelFormat: description.pixelFormat,
                    width: width,
                    height: height,
                    limit: enumerationLimit
                )
                sizes.append(.init(size: size, intervals: intervals))
            }
            formats.append(.init(description: description, sizes: sizes))
        }
        return V4L2DeviceInfo(path: path, capabilities: capabilities, formats: formats)
    }

    /// `videoN` entries of `directory`, sorted by N.
    static func videoNodeNames(in directory: String) throws(FrameSourceError) -> [String] {
        let names: [String]
        do {
            names = try Files.listDirectory(directory)
        } catch {
            throw FrameSourceError(.ioFailure, "\(error.call) \(directory): \(error.reasonText)")
        }
        var numbered: [(number: Int, name: String)] = []
        for name in names {
            guard name.hasPrefix("video"), let number = Int(name.dropFirst(5)), number >= 0 else { continue }
            numbered.append((number, name))
        }
        return numbered.sorted { $0.number < $1.number }.map(\.name)
    }
}
