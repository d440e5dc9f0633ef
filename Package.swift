// swift-tools-version: 6.0
//
// memcert: exact construction, verification and certification of memorizing
// deep threshold networks. The targets follow the data flow, with no back-edges
// (docs/ARCHITECTURE.md):
//
//   data (DataSets) -> exact model (ThresholdNetworks, with the verifier)
//     -> construction (Constructions) / geometry (SeparationGeometry)
//     -> certificate (Certificates) -> command line (memcert)
//
// Scaling studies (Sweeps, drawing with Plots) sit between the constructions and
// geometry and the command line; beside all of this is the independent checker
// (CertificateChecker). A target may import only what it declares here: the
// README's test command builds with `--explicit-target-dependency-import-check
// error`, so CI fails on any other.
import PackageDescription

let package = Package(
    name: "memcert",
    platforms: [.macOS(.v15)],  // Synchronization's Mutex and Atomic
    products: [
        .executable(name: "memcert", targets: ["memcert"]),
    ],
    dependencies: [
        // Command-line parsing, help and usage errors (exit status 64).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-256 of the files a certificate names.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Runs the SAT solver (CaDiCaL) as a subprocess, with time limits (separation-number).
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // ONNX models are protocol buffers: the runtime for the Swift generated from onnx.proto.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // .npz archives are zip files: reading (CRC-checked) and writing them.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
        // Foundations: exact numbers, text formats and errors, parallel loops.
        .target(name: "ExactArithmetic", dependencies: ["CGMP"]),
        // FLINT as a system library (Debian ships no pkg-config file for it): exact
        // integer linear algebra (ranks, null spaces, p-adic solving) at scale.
        .systemLibrary(
            name: "CFLINT",
            path: "Sources/CFLINT",
            providers: [.apt(["libflint-dev"]), .brew(["flint"])]
        ),
        .target(name: "IntegerLinearAlgebra", dependencies: ["CFLINT", "ExactArithmetic", "TextFormats", "WorkSharing"]),
        .target(name: "TextFormats", dependencies: ["ExactArithmetic"]),
        .target(name: "WorkSharing", dependencies: ["TextFormats"]),
        // The memcert version and the git commit it is built from (written by the plugin).
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // Data: data sets, CSV, labels and their limit, generators, minimum distance.
        .target(name: "DataSets", dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing"]),
        // .npz archives (zip) of .npy arrays, apart from DataSets so that only the command line
        // links Foundation and ZIPFoundation.
        .target(name: "NumPyArchives", dependencies: ["TextFormats", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Exact model: networks, their codec and counts, the compiled evaluator and the verifier.
        .target(
            name: "ThresholdNetworks",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "DataSets"]
        ),
        // Constructions: rajput2021, baum1988, indicator behind one protocol, and compare.
        .target(
            name: "Constructions",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "DataSets", "ThresholdNetworks",
                           "IntegerLinearAlgebra"]
        ),
        // Geometry: hyperplanes separating labels, region counts, certified lower bounds.
        // It reads data and first layers, never the constructions.
        .target(
            name: "SeparationGeometry",
            dependencies: ["ExactArithmetic", "TextFormats", "WorkSharing", "DataSets", "ThresholdNetworks"]
        ),
        // Separation numbers: every cut a hyperplane can make (exact), the covering problem,
        // its CNF, and the search driven by an external SAT solver.
        .target(
            name: "SeparationNumbers",
            dependencies: ["ExactArithmetic", "TextFormats", "DataSets", "ThresholdNetworks", "SeparationGeometry"]
        ),
        // ONNX import and export: chains of affine layers and thresholds <-> exact threshold
        // networks (Swift generated from onnx.proto by scripts/generate_onnx_proto.sh, committed).
        .target(
            name: "ONNXInterchange",
            dependencies: ["ExactArithmetic", "TextFormats", "ThresholdNetworks", "DataSets",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Charts as SVG text: log and linear axes, ticks, series, legend. Standard library only.
        .target(name: "Plots"),
        // Scaling studies (`memcert sweep`): generate, construct, verify, bound, fit slopes, chart.
        // It returns bytes (CSV, SVG) and writes no file.
        .target(
            name: "Sweeps",
            dependencies: ["ExactArithmetic", "TextFormats", "DataSets", "ThresholdNetworks", "Constructions",
                           "SeparationGeometry", "Plots"]
        ),
        // Issues certificates from values in memory (it reads no file).
        .target(
            name: "Certificates",
            dependencies: ["ExactArithmetic", "TextFormats", "DataSets", "ThresholdNetworks",
                           "SeparationGeometry", "SeparationNumbers", "WorkSharing", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Re-checks certificates from the files alone. Deliberately small and independent:
        // it imports only GMP, swift-crypto and ZIPFoundation (for .npz data) (its own JSON,
        // number, CSV and .npy readers and its own evaluator), nothing of the code that issues
        // certificates (enforced by the import check).
        .target(
            name: "CertificateChecker",
            dependencies: ["CGMP", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The command line: options, files, exit statuses. The only layer that reads or writes files.
        .executableTarget(
            name: "memcert",
            dependencies: [
                "ExactArithmetic", "TextFormats", "WorkSharing", "DataSets", "ThresholdNetworks", "Constructions",
                "SeparationGeometry", "SeparationNumbers", "Certificates", "CertificateChecker", "BuildInfo", "NumPyArchives",
                "ONNXInterchange", "Sweeps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // Helpers shared by the test targets (a seeded generator independent of the library's).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ExactArithmeticTests", dependencies: ["ExactArithmetic", "TestSupport"]),
        .testTarget(name: "WorkSharingTests", dependencies: ["WorkSharing", "TextFormats"]),
        .testTarget(name: "TextFormatsTests", dependencies: ["TextFormats"]),
        .testTarget(name: "DataSetsTests", dependencies: ["DataSets", "ExactArithmetic", "TextFormats", "TestSupport", "NumPyArchives"]),
        .testTarget(name: "ONNXInterchangeTests",
                    dependencies: ["ONNXInterchange", "ThresholdNetworks", "ExactArithmetic", "TextFormats", "TestSupport"]),
        .testTarget(name: "IntegerLinearAlgebraTests",
                    dependencies: ["IntegerLinearAlgebra", "ExactArithmetic", "TestSupport"]),
        .testTarget(
            name: "ThresholdNetworksTests",
            dependencies: ["ThresholdNetworks", "DataSets", "ExactArithmetic", "TextFormats", "TestSupport"]
        ),
        .testTarget(
            name: "ConstructionsTests",
            dependencies: ["Constructions", "DataSets", "ThresholdNetworks", "ExactArithmetic", "TextFormats", "TestSupport",
                           "IntegerLinearAlgebra"]
        ),
        // Also builds networks, to check that their first layers meet the certified bounds.
        .testTarget(
            name: "SeparationGeometryTests",
            dependencies: ["SeparationGeometry", "DataSets", "ThresholdNetworks", "ExactArithmetic", "TextFormats",
                           "TestSupport", "Constructions"]
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: ["Certificates", "CertificateChecker", "DataSets", "ThresholdNetworks", "ExactArithmetic",
                           "TextFormats", "SeparationGeometry"]
        ),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        .testTarget(
            name: "SweepsTests",
            dependencies: ["Sweeps", "Plots", "DataSets", "Constructions", "SeparationGeometry", "ExactArithmetic",
                           "TextFormats"]
        ),
        .testTarget(
            name: "CertificateCheckerTests",
            dependencies: ["CertificateChecker", "TestSupport", "ExactArithmetic", "TextFormats", "ThresholdNetworks", "DataSets"]
        ),
        .testTarget(
            name: "SeparationNumbersTests",
            dependencies: ["SeparationNumbers", "SeparationGeometry", "DataSets", "ThresholdNetworks", "ExactArithmetic",
                           "TestSupport"]
        ),
        // End-to-end tests of the executable; Crypto computes the digests of tampered certificates.
        .testTarget(name: "memcertTests", dependencies: ["memcert", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
