/// The release, shown by `--version` and written into the Debian package (the Makefile reads it here).
public enum GateCheckVersion {
    public static let current = "0.6.0"
}
