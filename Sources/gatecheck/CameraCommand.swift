import ArgumentParser
import FoundationEssentials
import Frames
import GateVocabulary
import Glibc
import JSON
import V4L2Capture

/// `gatecheck camera`: the checkpoint's cameras.
struct CameraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Inspect, aim and check V4L2 cameras.",
        subcommands: [CameraListCommand.self, CameraAimCommand.self, CameraSnapshotCommand.self]
    )
}

/// `gatecheck camera list`: every video capture node with its formats, sizes and frame rates, so an
/// installer can pick a camera and a mode and check that the udev symlink points at the right node.
struct CameraListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List video capture devices with their formats, sizes and frame rates (and controls).",
        discussion: """
            Exit status 0 also when there is no camera (it says so); 1 when the directory cannot be read. \
            With --controls, each device's controls follow with their ranges and current values, as v4l2-ctl -l \
            prints them; the names are those gatecheck.conf's [camera] settings set (docs/daemon.md).
            """
    )

    @Option(name: .customLong("directory"), help: "Where to look for video* nodes.")
    var directory = "/dev"

    @Flag(name: .customLong("json"), help: "Print one JSON object.")
    var json = false

    @Flag(name: .customLong("controls"), help: "Also list each device's controls: range, default and current value.")
    var controls = false

    func run() throws {
        let list: V4L2DeviceList
        do {
            list = try V4L2Camera.listDevices(in: directory)
        } catch {
            printToStandardError(
                "camera list: \(error.detail); pass --directory with the folder that holds the video* device nodes (usually /dev)")
            throw ExitCode(1)
        }
        let defaultNode = Self.resolvedDefaultCamera()
        var controlLists: [String: Result<[V4L2ControlState], V4L2DeviceError>]?
        if controls {
            var lists: [String: Result<[V4L2ControlState], V4L2DeviceError>] = [:]
            for device in list.devices {
                do {
                    lists[device.path] = .success(try V4L2Camera.controls(path: device.path, device: LibV4L2Device()))
                } catch {
                    lists[device.path] = .failure(error)
                }
            }
            controlLists = lists
        }
        print(
            json
                ? Self.json(list, defaultNode: defaultNode, controls: controlLists)
                : Self.text(list, directory: directory, defaultNode: defaultNode, controls: controlLists))
    }

    /// The node /dev/gatecheck-camera points at, if the udev symlink exists.
    static func resolvedDefaultCamera() -> String? {
        guard let resolved = realpath(V4L2Camera.defaultPath, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func text(
        _ list: V4L2DeviceList, directory: String, defaultNode: String?,
        controls: [String: Result<[V4L2ControlState], V4L2DeviceError>]? = nil
    ) -> String {
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
            switch controls?[device.path] {
            case .success(let states):
                lines.append(states.isEmpty ? "  controls: none" : "  controls:")
                lines += CameraControlsReport.lines(states, indent: "    ")
            case .failure(let error):
                lines.append("  controls: could not be read (\(error))")
            case nil:
                break
            }
        }
        for skipped in list.skipped {
            lines.append("skipped \(skipped.path): \(skipped.reason)")
        }
        return lines.joined(separator: "\n")
    }

    /// Members sorted; `/` written `\/` as this command's output has always had it (Foundation wrote it before).
    /// With `controls`, each device also has `"controls"` (an array, empty when they could not be read) and, when
    /// they could not be read, `"controlsError"`.
    static func json(
        _ list: V4L2DeviceList, defaultNode: String?,
        controls: [String: Result<[V4L2ControlState], V4L2DeviceError>]? = nil
    ) -> String {
        let devices: [JSONValue] = list.devices.map { device in
            var object: JSONValue = [
                "path": .string(device.path),
                "card": .string(device.capabilities.card),
                "driver": .string(device.capabilities.driver),
                "busInfo": .string(device.capabilities.busInfo),
                "isDefaultCamera": .bool(device.path == defaultNode),
                "formatPreference": .array(device.formatPreference.map { .string("\($0)") }),
                "formats": .array(device.formats.map { format in
                    [
                        "fourcc": .string("\(format.description.pixelFormat)"),
                        "description": .string(format.description.description),
                        "compressed": .bool(format.description.isCompressed),
                        "emulated": .bool(format.description.isEmulated),
                        "sizes": .array(format.sizes.map { size in
                            let (width, height) = size.size.representative
                            return [
                                "size": .string("\(size.size)"), "width": .integer(width), "height": .integer(height),
                                "fps": .array(size.intervals.compactMap { $0.framesPerSecond.flatMap { JSONNumber($0) }.map { .number($0) } }),
                            ]
                        }),
                    ]
                }),
            ]
            if case .object(var members) = object, let result = controls?[device.path] {
                switch result {
                case .success(let states):
                    members["controls"] = .array(states.map(CameraControlsReport.json))
                case .failure(let error):
                    members["controls"] = .array([])
                    members["controlsError"] = .string("\(error)")
                }
                object = .object(members)
            }
            return object
        }
        let skipped: [JSONValue] = list.skipped.map { ["path": .string($0.path), "reason": .string($0.reason)] }
        return JSONWriter.string(["devices": .array(devices), "skipped": .array(skipped)], memberOrder: .sortedByUTF16, escapingSlashes: true)
    }
}
