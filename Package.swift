// swift-tools-version: 6.0
//
// memcert: exact construction, verification and certification of memorizing
// deep threshold networks. See README.md and DESIGN (section 4) for the layout.
import PackageDescription

let package = Package(
    name: "memcert",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "memcert", targets: ["memcert"]),
    ],
    dependencies: [
        // Command-line parsing, help and usage errors (exit status 64).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 of the files a certificate names.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // GMP as a system library: module map plus static-inline shims for
        // gmp.h's function-like macros (mpz_sgn and friends do not import).
        .systemLibrary(
            name: "CGMP",
            path: "Sources/CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
        ),
        .target(name: "ExactArithmetic", dependencies: ["CGMP"]),
        .target(name: "TextFormats", dependencies: ["ExactArithmetic"]),
        .target(name: "WorkSharing"),
        .target(
            name: "ThresholdNetworks",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing"]
        ),
        .target(
            name: "Memorization",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "ThresholdNetworks"]
        ),
        .target(
            name: "SeparationGeometry",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "ThresholdNetworks", "Memorization"]
        ),
        // Issues certificates; may use everything.
        .target(
            name: "Certificates",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "ThresholdNetworks", "Memorization",
                           "SeparationGeometry", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Re-checks certificates from the files alone. Deliberately small and independent:
        // it must not import the construction, geometry or network code.
        .target(
            name: "CertificateChecker",
            dependencies: ["ExactArithmetic", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "memcert",
            dependencies: [
                "ExactArithmetic", "TextFormats", "WorkSharing", "ThresholdNetworks", "Memorization", "SeparationGeometry",
                "Certificates", "CertificateChecker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets (a seeded generator independent of the library's).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ExactArithmeticTests", dependencies: ["ExactArithmetic", "TestSupport"]),
        .testTarget(
            name: "ThresholdNetworksTests",
            dependencies: ["ThresholdNetworks", "ExactArithmetic", "TextFormats", "TestSupport"]
        ),
        .testTarget(
            name: "MemorizationTests",
            dependencies: ["Memorization", "ThresholdNetworks", "ExactArithmetic", "TextFormats", "TestSupport"]
        ),
        .testTarget(
            name: "SeparationGeometryTests",
            dependencies: ["SeparationGeometry", "Memorization", "ThresholdNetworks", "ExactArithmetic", "TextFormats",
                           "TestSupport"]
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: ["Certificates", "CertificateChecker", "Memorization", "ThresholdNetworks", "ExactArithmetic",
                           "TextFormats", "SeparationGeometry"]
        ),
        // End-to-end tests of the executable; Crypto computes the digests of tampered certificates.
        .testTarget(name: "memcertTests", dependencies: ["memcert", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
