// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// One library target per service (its logic, testable in-process) plus a thin executable.
func service(_ name: String, executable: String, resources: [Resource]? = nil, extra: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: name,
            dependencies: ["ServiceKit", "EventBus", "Store", "Models", "Tabular", .product(name: "Hummingbird", package: "hummingbird")]
                + extra,
            path: "Services/\(name)/Library",
            resources: resources,
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: executable,
            dependencies: [.byName(name: name), "ServiceKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Services/\(name)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

let package = Package(
    name: "Shouwang",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shouwang", targets: ["shouwang"]),
        .executable(name: "shouwang-bus", targets: ["shouwang-bus"]),
        .executable(name: "shouwang-intake", targets: ["shouwang-intake"]),
        .executable(name: "shouwang-matching", targets: ["shouwang-matching"]),
        .executable(name: "shouwang-supplies", targets: ["shouwang-supplies"]),
        .executable(name: "shouwang-outreach", targets: ["shouwang-outreach"]),
        .executable(name: "shouwang-console", targets: ["shouwang-console"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // MARK: Shared modules
        .systemLibrary(name: "CZeroMQ", path: "Shared/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], path: "Shared/ZeroMQ", swiftSettings: swiftSettings),
        .target(name: "Models", path: "Shared/Models", swiftSettings: swiftSettings),
        .systemLibrary(name: "CZlib", path: "Shared/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Tabular", dependencies: ["CZlib"], path: "Shared/Tabular", swiftSettings: swiftSettings),
        .target(
            name: "Store",
            dependencies: [
                "Models",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Store",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EventBus",
            dependencies: [
                "Models", "Store", "ZeroMQ",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/EventBus",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Models", "Store", "EventBus", "ZeroMQ", "Tabular",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Bus and CLI
        .target(
            name: "Bus",
            dependencies: [
                "EventBus", "ServiceKit", "Store", "ZeroMQ", "Models",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Bus/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "shouwang-bus",
            dependencies: ["Bus", "ServiceKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Services/Bus/Main", swiftSettings: swiftSettings),
        .target(
            name: "Operator",
            dependencies: [
                "EventBus", "ServiceKit", "Store", "ZeroMQ", "Models", "Bus",
                "Intake", "Matching", "Supplies", "Outreach", "Console",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/CLI/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "shouwang", dependencies: ["Operator"], path: "Services/CLI/Main", swiftSettings: swiftSettings),
    ]
        + service("Intake", executable: "shouwang-intake", resources: [.copy("openapi.json")])
        + service("Matching", executable: "shouwang-matching", resources: [.copy("openapi.json")])
        + service("Supplies", executable: "shouwang-supplies", resources: [.copy("openapi.json")])
        + service("Outreach", executable: "shouwang-outreach", resources: [.copy("openapi.json")])
        // The console serves pages, not an API of its own: a client of the four services and the bus.
        + service(
            "Console", executable: "shouwang-console",
            extra: [.product(name: "CryptoExtras", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio")]
        )
        + [
            // MARK: Tests
            .target(
                name: "TestSupport",
                dependencies: [
                    "Store", "Models", "ServiceKit", "EventBus", "Bus", "ZeroMQ",
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ],
                path: "Tests/TestSupport",
                swiftSettings: swiftSettings
            ),
            .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: swiftSettings),
            .testTarget(name: "ModelsTests", dependencies: ["Models"], swiftSettings: swiftSettings),
            .testTarget(
                name: "ConsoleTests",
                dependencies: [
                    "Console", "TestSupport", "Store", "Models", "ServiceKit", .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(name: "TabularTests", dependencies: ["Tabular"], swiftSettings: swiftSettings),
            .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: swiftSettings),
            .testTarget(
                name: "EventBusTests", dependencies: ["EventBus", "Bus", "Store", "TestSupport", "ZeroMQ"], swiftSettings: swiftSettings),
            .testTarget(
                name: "ServiceKitTests",
                dependencies: [
                    "ServiceKit", "Intake", "Bus", "EventBus", "TestSupport",
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(
                name: "IntakeTests",
                dependencies: [
                    "Intake", "Bus", "ServiceKit", "EventBus", "Models", "Store", "TestSupport", "Tabular",
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(
                name: "MatchingTests",
                dependencies: [
                    "Matching", "Intake", "Bus", "ServiceKit", "EventBus", "Models", "Store", "TestSupport",
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(
                name: "SuppliesTests",
                dependencies: [
                    "Supplies", "Intake", "Outreach", "ServiceKit", "EventBus", "Models", "Store", "TestSupport",
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(
                name: "OutreachTests",
                dependencies: [
                    "Outreach", "Intake", "Bus", "ServiceKit", "EventBus", "Models", "Store", "TestSupport", "Tabular",
                    .product(name: "HummingbirdTesting", package: "hummingbird"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                swiftSettings: swiftSettings
            ),
            .testTarget(
                name: "EndToEndTests",
                dependencies: [
                    "TestSupport", "Store", "Models", "EventBus", "ServiceKit", "Intake", "Matching", "Supplies", "Outreach",
                    .product(name: "PostgresNIO", package: "postgres-nio"),
                ],
                swiftSettings: swiftSettings
            ),
        ]
)
