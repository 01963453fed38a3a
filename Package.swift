// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "trading-assistant",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trading-assistant", targets: ["trading-assistant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // Pure values and rules: Foundation only, no I/O.
        .target(name: "TradingDomain", swiftSettings: swiftSettings),
        // Engines and the ports (protocols) they need.
        // The API input layer shared by HTTP and the coach: JSON values, the object reader, the
        // request readers (`*Input`) and the JSON Schema validator.
        .target(
            name: "APIInput",
            dependencies: ["TradingDomain"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TradingEngine",
            dependencies: [
                "TradingDomain", "APIInput",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Offline implementations of the ports: simulated market, replay feed, paper broker.
        .target(
            name: "Simulation",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Polygon.io / Massive adapter: wire parsing, WebSocket stream, REST client.
        .target(
            name: "Polygon",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Discord webhook adapter: posts messages and classifies Discord's answers.
        .target(
            name: "Discord",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Tradier adapter: wire parsing, REST client, order polling, market data (quotes, bars,
        // the market WebSocket).
        .target(
            name: "Tradier",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The coach backends: built-in rules, Chat Data, OpenAI-compatible function calling.
        .target(
            name: "Coach",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The MCP server (stdio) over the same tool registry, with the official Swift MCP SDK.
        .target(
            name: "CoachMCP",
            dependencies: [
                "Coach",
                "TradingDomain",
                "TradingEngine",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fluent models, migrations and repository implementations.
        .target(
            name: "Persistence",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird application: configuration, routes, middleware, OpenAPI, dashboard files.
        .target(
            name: "Server",
            dependencies: [
                "TradingDomain",
                "TradingEngine",
                "Persistence",
                "Simulation",
                "Polygon",
                "Discord",
                "Tradier",
                "Coach",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Public")],
            swiftSettings: swiftSettings
        ),
        // `trading-assistant bench`: the benchmark harness, apart from the server library.
        .target(
            name: "Benchmarks",
            dependencies: [
                "Server", "TradingDomain", "TradingEngine", "Persistence", "Polygon",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "trading-assistant",
            dependencies: [
                "Server",
                "Benchmarks",
                "CoachMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test helpers shared by the test targets (databases, process runner, loopback fakes of the
        // outside services). It does not depend on Server: adapters' tests use it without the app.
        .target(
            name: "TestSupport",
            dependencies: [
                "Persistence",
                "TradingEngine",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TradingDomainTests",
            dependencies: [
                "TradingDomain", "APIInput",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        // In-memory repositories, a manual clock and a scripted broker for engine tests (no HTTP,
        // no database, no real waiting).
        .target(
            name: "TradingEngineTesting",
            dependencies: [
                "TradingEngine", "TradingDomain",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TradingEngineTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TradingEngineTests",
            dependencies: [
                "TradingEngine", "TradingDomain", "TradingEngineTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimulationTests",
            dependencies: [
                "Simulation", "TradingDomain", "TradingEngine", "TradingEngineTesting", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PolygonTests",
            dependencies: ["Polygon", "TradingDomain", "TradingEngine", "TradingEngineTesting", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TradierTests",
            dependencies: [
                "Tradier", "TestSupport", "TradingDomain", "TradingEngine", "TradingEngineTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoachTests",
            dependencies: [
                "Coach", "CoachMCP", "TestSupport", "TradingDomain", "TradingEngine",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BrokerContractTests",
            dependencies: [
                "Simulation", "Tradier", "TestSupport", "TradingDomain", "TradingEngine",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DiscordTests",
            dependencies: ["Discord", "TestSupport", "TradingDomain", "TradingEngine", "TradingEngineTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["Persistence", "TestSupport", "TradingDomain", "TradingEngine"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Discord", "Simulation", "TestSupport", "TradingDomain", "TradingEngine",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
