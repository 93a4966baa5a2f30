/// Configuration failures are `DaemonSupportError`s (the module's one error type); this name reads
/// better at the call site: `DaemonConfiguration.load(path:) throws(ConfigurationError)`.
public typealias ConfigurationError = DaemonSupportError
