// swift-tools-version: 6.1
import PackageDescription

// Strictness for every target, after swift-log's Package.swift.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "feedwatch",
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C boundary: module maps and static-inline shims only. Each is imported by exactly one wrapper target.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure Swift: feed model, dates, text, JSON. No C, no I/O.
        .target(name: "FeedCore", swiftSettings: strict),
        // libxml2 wrapper: documents in, `ParsedFeed` values out.
        .target(name: "FeedXML", dependencies: ["FeedCore", "CLibXML2"], swiftSettings: strict),
        // libcurl wrapper: URLs in, bodies and transfer outcomes out.
        .target(name: "FeedHTTP", dependencies: ["FeedCore", "CCurl"], swiftSettings: strict),

        // YAML with positions: typed access whose errors say file:line:column.
        .target(name: "FeedYAML", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Topic classification in Arabic and English: normalization, stemming, phrase matching, scoring.
        .target(name: "FeedClassify", dependencies: ["FeedCore", "FeedYAML"], swiftSettings: strict),

        .executableTarget(name: "feedwatch", dependencies: [
            "FeedCore", "FeedXML", "FeedHTTP", "FeedClassify", "FeedYAML",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // Benchmarks (release builds; see bench/README.md).
        .executableTarget(name: "feedwatch-bench", dependencies: ["FeedCore", "FeedXML", "FeedClassify", "FeedHTTP"],
                          path: "bench/Sources/feedwatch-bench", swiftSettings: strict),

        .target(name: "FeedTestSupport", dependencies: ["FeedCore"], path: "Tests/FeedTestSupport"),
        .testTarget(name: "FeedCoreTests", dependencies: ["FeedCore", "FeedTestSupport"]),
        .testTarget(name: "FeedXMLTests", dependencies: ["FeedXML", "FeedCore", "FeedTestSupport"]),
        .testTarget(name: "FeedHTTPTests", dependencies: ["FeedHTTP", "FeedXML", "FeedCore", "FeedTestSupport"]),
        .testTarget(name: "FeedClassifyTests", dependencies: ["FeedClassify", "FeedYAML", "FeedCore", "FeedTestSupport"]),
    ]
)
