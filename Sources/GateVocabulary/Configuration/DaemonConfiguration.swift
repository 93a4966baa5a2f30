import DaemonSupport
import HealthCredentials
import Lamps
import TrustStore
import V4L2Capture

/// Everything `gatecheckd` reads from `/etc/gatecheck/gatecheck.conf`, with a default for every key:
/// an empty file gives `DaemonConfiguration()`. `docs/gatecheck.conf.example` lists every key, and a
/// test parses it back to these defaults, so the documentation cannot drift from the code.
public struct DaemonConfiguration: Sendable, Hashable {
    public static let defaultPath = "/etc/gatecheck/gatecheck.conf"
    /// Configuration files are small; a cap keeps a wrong path (a log, a device image) from being read whole.
    static let maximumFileSize = 1 << 20

    /// The camera's stable udev symlink, never "the first video node".
    public var cameraDevice = "/dev/gatecheck-camera"
    /// How long one wait for a frame may take before it counts as a timeout.
    public var pollTimeout: Duration = .milliseconds(2_000)
    /// `[camera]` exposure, gain, focus, power-line frequency and crop; all unset by default (the camera's own).
    public var cameraSettings = V4L2CameraSettings()
    /// The same payload seen again within this time yields no new decision.
    public var dedupWindow: Duration = .milliseconds(3_000)
    /// Installed trust, counters' state and the clock high-water mark.
    public var stateDirectory = "/var/lib/gatecheck"
    /// Pinned trust-bundle signer anchors.
    public var anchorsDirectory = "/etc/gatecheck/anchors"
    public var logLevel: LogLevel = .info
    public var lamps = LampConfiguration()
    /// `[timings]`, in the shape the lamp panel takes. The fail beep (when there is a buzzer) is the fail
    /// display's first 200 ms, and the import pattern keeps the panel's defaults.
    public var timings = LampTimings(
        pass: .milliseconds(3_000), fail: .milliseconds(3_000), relayPulse: .milliseconds(1_000), failBeep: .milliseconds(200),
        faultBlinkPeriod: .milliseconds(1_000)
    )
    /// `[scan] budget_ms`: the most time the scan cascade spends on one frame (its first, cheapest rung
    /// always runs). The default keeps up with a 30 fps camera.
    public var scanBudget: Duration = .milliseconds(30)
    public var trust = TrustPolicy()
    public var policy = AdmissionConfiguration()
    public var status = StatusConfiguration()
    public var update = UpdateConfiguration()

    public init() {}

    /// Every table and key `gatecheck.conf` has. Anything else is a typo and fails the load.
    public static let schema: [String: Set<String>] = {
        var schema: [String: Set<String>] = [
            "": ["state_dir", "anchors_dir", "log_level", "dedup_window_ms"],
            "camera": [
                "device", "poll_timeout_ms", "exposure_us", "gain", "focus", "focus_absolute", "power_line_frequency", "crop",
            ],
            "trust": ["stale", "max_trust_age_days", "clock_skew_s"],
            "policy": ["country", "region", "rules", "formats", "profiles"],
            "timings": ["pass_ms", "fail_ms", "relay_pulse_ms", "fault_blink_ms"],
            "lamps": ["sysfs_root"],
            "status": ["socket", "prometheus_textfile"],
            "scan": ["budget_ms"],
            "update": ["url", "delta_url", "interval", "ca_file", "max_bytes"],
        ]
        for role in ConfigurationReader.roles { schema["lamps.\(role)"] = ConfigurationReader.lampKeys }
        return schema
    }()

    /// Reads and validates the file. All or nothing: any error throws before a value exists, so a
    /// reload either yields a complete new configuration or leaves the running one as it was.
    public static func load(path: String = defaultPath) throws(ConfigurationError) -> DaemonConfiguration {
        try parse(try ConfigurationReader.readFile(path, limit: maximumFileSize), file: path)
    }

    /// Parses configuration text; `file` is only used in error messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> DaemonConfiguration {
        try parse(Array(text.utf8), file: file)
    }

    static func parse(_ bytes: [UInt8], file: String) throws(ConfigurationError) -> DaemonConfiguration {
        let reader = try ConfigurationReader(parsing: bytes, file: file, schema: schema)
        try reader.checkNames()
        var configuration = DaemonConfiguration()
        try configuration.read(reader)
        return configuration
    }

    private mutating func read(_ reader: ConfigurationReader) throws(ConfigurationError) {
        stateDirectory = try reader.absolutePath("", "state_dir") ?? stateDirectory
        anchorsDirectory = try reader.absolutePath("", "anchors_dir") ?? anchorsDirectory
        logLevel = try reader.word("", "log_level", as: LogLevel.self) ?? logLevel
        dedupWindow = try reader.milliseconds("", "dedup_window_ms", in: 0...600_000) ?? dedupWindow

        cameraDevice = try reader.absolutePath("camera", "device") ?? cameraDevice
        pollTimeout = try reader.milliseconds("camera", "poll_timeout_ms", in: 100...60_000) ?? pollTimeout
        try readCameraSettings(reader)

        trust.stale = try reader.word("trust", "stale", as: TrustedClock.StalePolicy.self) ?? trust.stale
        if let days = try reader.integer("trust", "max_trust_age_days", in: 1...3_650) {
            trust.maximumAge = .seconds(days * 86_400)
        }
        if let skew = try reader.integer("trust", "clock_skew_s", in: 0...86_400) { trust.clockSkew = .seconds(skew) }

        try readPolicy(reader)

        scanBudget = try reader.milliseconds("scan", "budget_ms", in: 1...10_000) ?? scanBudget

        timings.pass = try reader.milliseconds("timings", "pass_ms", in: 100...60_000) ?? timings.pass
        timings.fail = try reader.milliseconds("timings", "fail_ms", in: 100...60_000) ?? timings.fail
        timings.failBeep = min(.milliseconds(200), timings.fail)
        timings.relayPulse = try reader.milliseconds("timings", "relay_pulse_ms", in: 50...30_000) ?? timings.relayPulse
        // The file gives the blink's half period (on, then off for as long); the panel takes the whole period.
        if let half = try reader.milliseconds("timings", "fault_blink_ms", in: 50...10_000) { timings.faultBlinkPeriod = half * 2 }

        lamps.sysfsRoot = try reader.absolutePath("lamps", "sysfs_root") ?? lamps.sysfsRoot
        if let entry = reader.entry("lamps", "sysfs_root"), lamps.sysfsRoot.split(separator: "/").last != "sys" {
            // class/leds and class/gpio hang under a directory named sys; a copy for tests keeps that name.
            throw reader.error(.invalidValue, "lamps.sysfs_root", entry.line, "must be a sysfs mount point whose last component is \"sys\"")
        }
        lamps.pass = try reader.lamp("pass") ?? lamps.pass
        lamps.fail = try reader.lamp("fail") ?? lamps.fail
        lamps.fault = try reader.lamp("fault") ?? lamps.fault
        lamps.buzzer = try reader.lamp("buzzer")
        lamps.relay = try reader.lamp("relay")
        try reader.checkDistinct(lamps)

        // sun_path holds 108 bytes including the terminating NUL.
        status.socketPath = try reader.absolutePath("status", "socket", maximumLength: 107) ?? status.socketPath
        status.prometheusTextfile = try reader.absolutePath("status", "prometheus_textfile")

        try readUpdate(reader)
    }

    /// `[update]`: only https:// URLs; the size cap stays within what a bundle may be at all.
    private mutating func readUpdate(_ reader: ConfigurationReader) throws(ConfigurationError) {
        if let url = try reader.string("update", "url"), let entry = reader.entry("update", "url") {
            if let problem = TrustFetchState.httpsURLProblem(url) { throw reader.error(.invalidValue, "update.url", entry.line, problem) }
            update.url = url
        }
        if let url = try reader.string("update", "delta_url"), let entry = reader.entry("update", "delta_url") {
            if let problem = TrustFetchState.httpsURLProblem(url) { throw reader.error(.invalidValue, "update.delta_url", entry.line, problem) }
            guard update.url != nil else { throw reader.error(.invalidValue, "update.delta_url", entry.line, "needs [update] url, the full bundle it falls back to") }
            update.deltaURL = url
        }
        if let seconds = try reader.integer("update", "interval", in: 60...604_800) { update.interval = .seconds(seconds) }
        update.caFile = try reader.absolutePath("update", "ca_file")
        update.maximumBytes = try reader.integer("update", "max_bytes", in: 1_024...TrustStoreDirectory.maximumBundleSize) ?? update.maximumBytes
    }

    /// The words `[camera] focus` takes.
    enum FocusMode: String, CaseIterable {
        case continuous, fixed
    }

    /// `[camera]`'s controls for code reading. Ranges are the V4L2 fields' (the camera's own range is checked
    /// when it is applied: a value it refuses is logged and skipped).
    private mutating func readCameraSettings(_ reader: ConfigurationReader) throws(ConfigurationError) {
        // exposure_absolute counts 100 µs, so the file's microseconds must be a whole number of those.
        if let microseconds = try reader.integer("camera", "exposure_us", in: 100...1_000_000), let entry = reader.entry("camera", "exposure_us") {
            guard microseconds % 100 == 0 else {
                throw reader.error(.invalidValue, "camera.exposure_us", entry.line, "must be a multiple of 100 (V4L2 counts exposure in 100 µs)")
            }
            cameraSettings.exposure = microseconds / 100
        }
        cameraSettings.gain = try reader.integer("camera", "gain", in: 0...65_535)
        let focusPosition = try reader.integer("camera", "focus_absolute", in: 0...65_535)
        switch try reader.word("camera", "focus", as: FocusMode.self) {
        case .continuous:
            if let entry = reader.entry("camera", "focus_absolute") {
                throw reader.error(.invalidValue, "camera.focus_absolute", entry.line, "needs focus = \"fixed\"")
            }
            cameraSettings.focus = .continuous
        case .fixed:
            guard let focusPosition else {
                let line = reader.entry("camera", "focus")?.line ?? 0
                throw reader.error(.invalidValue, "camera.focus", line, "\"fixed\" needs focus_absolute")
            }
            cameraSettings.focus = .fixed(focusPosition)
        case nil:
            if let entry = reader.entry("camera", "focus_absolute") {
                throw reader.error(.invalidValue, "camera.focus_absolute", entry.line, "needs focus = \"fixed\"")
            }
        }
        cameraSettings.powerLineFrequency = try reader.word(
            "camera", "power_line_frequency", as: V4L2CameraSettings.PowerLineFrequency.self)
        if let crop = try reader.integers("camera", "crop", count: 4, in: 0...65_535), let entry = reader.entry("camera", "crop") {
            guard crop[2] >= 16, crop[3] >= 16 else {
                throw reader.error(.invalidValue, "camera.crop", entry.line, "[left, top, width, height] needs a width and height of at least 16")
            }
            cameraSettings.crop = V4L2Rectangle(left: crop[0], top: crop[1], width: crop[2], height: crop[3])
        }
    }

    /// `[policy]`: a country turns the bundle's rules on unless `rules = "none"` says otherwise;
    /// `rules = "bundle"` without a country is an error, since it could never admit anyone. `formats` lists the
    /// credential formats the gate accepts (all supported ones by default), `profiles` which `hc1` credentials.
    private mutating func readPolicy(_ reader: ConfigurationReader) throws(ConfigurationError) {
        if let country = try reader.string("policy", "country"), let entry = reader.entry("policy", "country") {
            guard country.utf8.count == 2, country.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                throw reader.error(.invalidValue, "policy.country", entry.line, "must be an ISO 3166 alpha-2 code such as \"DE\"")
            }
            policy.country = country
            policy.rules = .bundle
        }
        if let region = try reader.string("policy", "region"), let entry = reader.entry("policy", "region") {
            guard region.utf8.count <= 16, region.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                throw reader.error(.invalidValue, "policy.region", entry.line, "must be 1 to 16 capital letters or digits")
            }
            guard policy.country != nil else { throw reader.error(.invalidValue, "policy.region", entry.line, "needs policy.country") }
            policy.region = region
        }
        if let rules = try reader.word("policy", "rules", as: AdmissionConfiguration.RuleSource.self), let entry = reader.entry("policy", "rules") {
            guard rules == .disabled || policy.country != nil else {
                throw reader.error(.invalidValue, "policy.rules", entry.line, "\"bundle\" needs policy.country (the country of arrival)")
            }
            policy.rules = rules
        }
        policy.formats = try reader.words("policy", "formats", as: CredentialFormat.self, allowed: CredentialFormat.supported) ?? policy.formats
        policy.profiles = try reader.words("policy", "profiles", as: CredentialProfile.self) ?? policy.profiles
    }
}

extension DaemonConfiguration {
    /// The camera as `[camera]` describes it: the node, the frame wait, and the controls and crop to apply at
    /// every open. Capture size, buffers and reconnect backoff keep ``V4L2Camera/Configuration``'s defaults.
    public var camera: V4L2Camera.Configuration {
        V4L2Camera.Configuration(
            path: cameraDevice,
            pollTimeoutMilliseconds: Int(pollTimeout / .milliseconds(1)),
            settings: cameraSettings
        )
    }
}
