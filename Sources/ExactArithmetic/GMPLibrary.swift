internal import CGMP

/// The GMP library memcert runs with.
public enum GMPLibrary {
    /// GMP's version string (gmp.h's `gmp_version`, read at run time, e.g. "6.2.1").
    public static var version: String { String(cString: cgmp_version()) }
}
