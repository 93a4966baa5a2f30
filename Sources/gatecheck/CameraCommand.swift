import ArgumentParser
import Foundation
import Frames
import V4L2Capture

/// `gatecheck camera`: the checkpoint's cameras.
struct CameraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Inspect V4L2 cameras.",
        subcommands: [CameraListCommand.self]
    )
}

/// `gatecheck camera list`: every video capture node with its formats, sizes and frame rates, so an
/// installer can pick a camera and a mode and check that the udev symlink points at the right node.
struct CameraListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List video capture devices with their formats, sizes and frame rates.",
        discussion: "Exit status 0 also when there is no camera (it says so); 1 when the directory cannot be read."
    )

    @Option(name: .customLong("directory"), help: "Where to look for video* nodes.")
    var directory = "/dev"

    @Flag(name: .customLong("json"), help: "Print one JSON object.")
    var json = false

    func run() throws {
        let list: V4L2DeviceList
        do {
            list = try V4L2Camera.listDevices(in: directory)
        } catch {
            printToStandardError("camera list: \(error.detail)")
            throw ExitCode(1)
        }
        let defaultNode = Self.resolvedDefaultCamera()
        print(
            json
                ? Self.json(list, defaultNode: defaultNode)
                : Self.text(list, directory: directory, defaultNode: defaultNode))
    }

    /// The node /dev/gatecheck-camera points at, if the udev symlink exists.
    static func resolvedDefaultCamera() -> String? {
        guard let resolved = realpath(V4L2Camera.defaultPath, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func text(_ list: V4L2DeviceList, directory: String, defaultNode: String?) -> String {
        var lines: [String] = []
        if list.devices.isEmpty {
            lines.append("no video capture devices in \(directory)")
        }
        for device in list.devices {
            let capabilities = device.capabilities
            let marker = device.path == defaultNode ? " [\(V4L2Camera.defaultPath)]" : ""
            lines.append(
                "\(device.path): \(capabilities.card) (driver \(capabilities.driver), \(capabilities.busInfo))\(marker)"
            )
            let preference = device.formatPreference
            lines.append(
                "  GateCheck would use: "
                    + (preference.isEmpty
                        ? "nothing (no usable format)" : preference.map { "\($0)" }.joined(separator: ", then "))
            )
            for format in device.formats {
                let flags = [
                    format.description.isCompressed ? "compressed" : nil,
                    format.description.isEmulated ? "emulated by libv4lconvert" : nil,
                ]
                .compactMap { $0 }
                let note = flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"
                lines.append("  \(format.description.pixelFormat)  \(format.description.description)\(note)")
                for size in format.sizes {
                    let rates = size.intervals.map(\.description).joined(separator: ", ")
                    lines.append("    \(size.size)" + (rates.isEmpty ? "" : "  \(rates) fps"))
                }
            }
        }
        for skipped in list.skipped {
            lines.append("skipped \(skipped.path): \(skipped.reason)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ list: V4L2DeviceList, defaultNode: String?) -> String {
        let devices: [[String: Any]] = list.devices.map { device in
            [
                "path": device.path,
                "card": device.capabilities.card,
                "driver": device.capabilities.driver,
                "busInfo": device.capabilities.busInfo,
                "isDefaultCamera": device.path == defaultNode,
                "formatPreference": device.formatPreference.map { "\($0)" },
                "formats": device.formats.map { format -> [String: Any] in
                    [
                        "fourcc": "\(format.description.pixelFormat)",
                        "description": format.description.description,
                        "compressed": format.description.isCompressed,
                        "emulated": format.description.isEmulated,
                        "sizes": format.sizes.map { size -> [String: Any] in
                            let (width, height) = size.size.representative
                            var entry: [String: Any] = ["size": "\(size.size)", "width": width, "height": height]
                            entry["fps"] = size.intervals.compactMap(\.framesPerSecond)
                            return entry
                        },
                    ]
                },
            ]
        }
        let skipped = list.skipped.map { ["path": $0.path, "reason": $0.reason] }
        let object: [String: Any] = ["devices": devices, "skipped": skipped]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])  // plain values only
        return String(decoding: data, as: UTF8.self)
    }
}
