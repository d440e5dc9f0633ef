/// What memcert was built from, recorded in certificates and printed by `memcert --version`.
public enum BuildInfo {
    /// The memcert version.
    public static let version = "0.2.0"
    /// The git commit of the build (`-dirty` appended when tracked files differed from it),
    /// or nil when it was built outside a git checkout or without git. Written at build
    /// time by the BuildInfo plugin (`Plugins/BuildInfoPlugin`).
    public static let commit: String? = buildCommit
}
