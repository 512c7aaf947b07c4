// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "bnlab",
    products: [
        .executable(name: "bnlab", targets: ["bnlab"]),
        .library(name: "BatchNormKit", targets: ["BatchNormKit"]),
        .library(name: "LabShell", targets: ["LabShell"]),
        .library(name: "BenchmarkKit", targets: ["BenchmarkKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Math: tensors, RNG, statistics, BatchNorm and friends, file formats. No terminal I/O.
        .target(name: "BatchNormKit", dependencies: ["CKernels"],
                // Optimized in debug builds too: `swift test` trains hundreds of small networks
                // (experiments, lessons), 27× slower unoptimized. The math is tested as shipped.
                swiftSettings: [.unsafeFlags(["-O"])]),
        // The one loop Swift's portable SIMD cannot vectorize well (float→int bin indices), in C.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),
        // The benchmark: the suite, its report and JSON, and the child processes (pipes and a
        // pseudo-terminal) that time start-up, memory and the course. The kit only, no Foundation.
        .target(name: "BenchmarkKit", dependencies: ["BatchNormKit"]),
        // Language: lexer, parser, interpreter, command table, renderers. Talks to a line sink only.
        .target(name: "LabShell", dependencies: ["BatchNormKit", "BenchmarkKit"]),
        // GNU readline, linked from the system (Debian: libreadline-dev).
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // glibc's mallopt, to keep large freed buffers for reuse (see shim.h).
        .systemLibrary(name: "CMalloc"),
        // The thin executable: flags, TTY detection, readline vs pipe vs file vs -c.
        .executableTarget(
            name: "bnlab",
            dependencies: [
                "LabShell", "BenchmarkKit", "CReadline", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What each libFuzzer target in Fuzz/Targets runs; the tests replay the corpus through it.
        .target(name: "FuzzHarness", dependencies: ["LabShell"], path: "Fuzz/Harness"),
        .testTarget(name: "BatchNormKitTests", dependencies: ["BatchNormKit"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "BenchmarkKitTests", dependencies: ["BenchmarkKit"]),
        .testTarget(name: "LabShellTests", dependencies: ["LabShell"],
                    exclude: ["Transcripts", "LessonTranscripts"]),
        // Drives the built binary: pipes, -c, files, and a pseudo-terminal for readline.
        .testTarget(name: "BnlabTests", dependencies: ["bnlab", "BenchmarkKit"]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzHarness"]),
    ],
    swiftLanguageModes: [.v6]
)
