// swift-tools-version: 6.1
import PackageDescription

// Strictness for every target, tests included, as swift-log's Package.swift sets it.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .unsafeFlags(["-Xfrontend", "-require-explicit-sendable"]),
]

let package = Package(
    name: "feedwatch",
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"])
    ],
    // Nodes sharing a PostgreSQL state (docs/cluster.md) bring PostgresNIO, NIOSSL and BoringSSL: most of
    // a first build. One machine with SQLite does not need them, so they are built only with this trait
    // (`swift build --traits PostgreSQL`; scripts/test.sh and `deploy/install.sh --postgresql` set it).
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL state (state_url) for nodes sharing one database.")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // The PostgreSQL state (issue 15), with the parts of NIO it exposes: NIOSSL for TLS settings,
        // NIOPosix's thread pool for the synchronous story ledger.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // HTTP field names for the reader page's headers (Hummingbird's own dependency).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // C boundary: module maps and static-inline shims only. Each is imported by exactly one wrapper target.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // Pure Swift: feed model, dates, text, JSON. No C, no I/O.
        .target(name: "FeedCore", swiftSettings: strict),
        // libxml2 wrapper: documents in, `ParsedFeed` values out.
        .target(name: "FeedXML", dependencies: ["FeedCore", "CLibXML2"], swiftSettings: strict),
        // libcrypto wrapper: SHA-2 digests and HMACs of byte arrays (ids, WebSub signatures, passwords).
        .target(name: "FeedCrypto", dependencies: ["CCrypto"], swiftSettings: strict),
        // libcurl wrapper: URLs in, bodies and transfer outcomes out.
        .target(name: "FeedHTTP", dependencies: ["FeedCore", "CCurl"], swiftSettings: strict),

        // YAML with positions: typed access whose errors say file:line:column.
        .target(name: "FeedYAML", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Topic classification in Arabic and English: normalization, stemming, phrase matching, scoring.
        .target(name: "FeedClassify", dependencies: ["FeedCore", "FeedYAML"], swiftSettings: strict),

        // Near-duplicate stories: fingerprints with MinHash/LSH band keys, facts, and the merge rule. Pure Swift.
        .target(name: "FeedStory", dependencies: ["FeedClassify"], swiftSettings: strict),

        // State behind one protocol; SQLite (GRDB) is the embedded backend.
        .target(name: "FeedStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        // The same protocol on PostgreSQL, for nodes sharing one database; NIO stays out of FeedStore.
        .target(
            name: "FeedStorePostgres",
            dependencies: [
                "FeedStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strict),
        // The maildir spool and the alert log.
        .target(
            name: "FeedSpool", dependencies: ["FeedCore", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strict),
        // Configuration, scheduling, identity, the outbox, and the services of `run`.
        .target(
            name: "FeedDaemon",
            dependencies: [
                "FeedCore", "FeedXML", "FeedHTTP", "FeedClassify", "FeedYAML", "FeedStory", "FeedStore", "FeedSpool",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HeapModule", package: "swift-collections"),
                "FeedCrypto",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ], swiftSettings: strict),

        // The reader page (issue 26): the spool's alerts as HTML and JSON, with no HTTP library below it.
        .target(name: "FeedReader", dependencies: ["FeedCore", "FeedSpool", "FeedClassify"], swiftSettings: strict),

        // The HTTP listener of `run` (health, metrics, WebSub callbacks) on Hummingbird: routes only, what
        // they answer is given by the daemon.
        .target(
            name: "FeedListener",
            dependencies: [
                "FeedCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: strict),

        .executableTarget(
            name: "feedwatch",
            dependencies: [
                "FeedCore", "FeedXML", "FeedHTTP", "FeedClassify", "FeedYAML", "FeedDaemon", "FeedStore", "FeedSpool",
                .target(name: "FeedStorePostgres", condition: .when(traits: ["PostgreSQL"])),
                "FeedListener", "FeedReader", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: strict),

        // Benchmarks (release builds; see bench/README.md).
        .executableTarget(
            name: "feedwatch-bench",
            dependencies: ["FeedCore", "FeedXML", "FeedClassify", "FeedHTTP", "FeedStory", "FeedStore", "FeedDaemon"],
            path: "bench/Sources/feedwatch-bench", swiftSettings: strict),

        .target(
            name: "FeedTestSupport",
            dependencies: ["FeedCore", .product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/FeedTestSupport", swiftSettings: strict),
        .testTarget(name: "FeedCoreTests", dependencies: ["FeedCore", "FeedTestSupport"], swiftSettings: strict),
        .testTarget(name: "FeedXMLTests", dependencies: ["FeedXML", "FeedCore", "FeedTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "FeedDaemonTests",
            dependencies: [
                "FeedDaemon", "FeedCore", "FeedHTTP", "FeedXML", "FeedStore", "FeedSpool", "FeedClassify", "FeedTestSupport",
                "FeedCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ], swiftSettings: strict),
        .testTarget(
            name: "FeedStoreTests",
            dependencies: [
                "FeedStore", .target(name: "FeedStorePostgres", condition: .when(traits: ["PostgreSQL"])), "FeedTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ], swiftSettings: strict),
        .testTarget(name: "FeedServiceTests", dependencies: ["FeedSpool", "FeedTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "FeedHTTPTests", dependencies: ["FeedHTTP", "FeedXML", "FeedCore", "FeedTestSupport"], swiftSettings: strict),
        .testTarget(name: "FeedStoryTests", dependencies: ["FeedStory", "FeedTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "FeedClassifyTests", dependencies: ["FeedClassify", "FeedYAML", "FeedCore", "FeedTestSupport"],
            swiftSettings: strict),
    ]
)

// Fuzz targets (scripts/fuzz.sh), built only when asked for, with -sanitize=fuzzer,address: libFuzzer is
// driven from ordinary Swift code because SwiftPM renames an executable's main (platform.md §6).
if Context.environment["FEEDWATCH_FUZZ"] == "1" {
    package.targets += [
        .systemLibrary(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .executableTarget(name: "FuzzFeedParser", dependencies: ["FeedXML", "CFuzzerDriver"], path: "Fuzz/FuzzFeedParser"),
        .executableTarget(name: "FuzzDates", dependencies: ["FeedCore", "CFuzzerDriver"], path: "Fuzz/FuzzDates"),
        .executableTarget(name: "FuzzHTMLText", dependencies: ["FeedXML", "CFuzzerDriver"], path: "Fuzz/FuzzHTMLText"),
        .executableTarget(name: "FuzzConfig", dependencies: ["FeedDaemon", "CFuzzerDriver"], path: "Fuzz/FuzzConfig"),
        .executableTarget(name: "FuzzWebSub", dependencies: ["FeedDaemon", "CFuzzerDriver"], path: "Fuzz/FuzzWebSub"),
    ]
}
