extension VerdictLine {
    /// What kind of credential was shown.
    public enum CredentialType: String, Sendable, Hashable, CaseIterable {
        case vaccination
        case test
        case recovery
        /// Decoded far enough to judge, but of no type above (or not decoded at all).
        case unknown
    }
}
