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
        // The memcert version and the git commit it is built from (written by the plugin).
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
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
        // it imports only GMP and swift-crypto (its own JSON, number and CSV readers and
        // its own evaluator), nothing of the code that issues certificates.
        .target(
            name: "CertificateChecker",
            dependencies: ["CGMP", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "memcert",
            dependencies: [
                "ExactArithmetic", "TextFormats", "WorkSharing", "ThresholdNetworks", "Memorization", "SeparationGeometry",
                "Certificates", "CertificateChecker", "BuildInfo",
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
        .testTarget(
            name: "CertificateCheckerTests",
            dependencies: ["CertificateChecker", "TestSupport", "ExactArithmetic", "TextFormats", "ThresholdNetworks", "Memorization"]
        ),
        .testTarget(name: "memcertTests", dependencies: ["memcert"]),
    ],
    swiftLanguageModes: [.v6]
)
