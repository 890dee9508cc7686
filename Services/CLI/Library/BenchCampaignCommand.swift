import ArgumentParser
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

struct BenchCampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "How long an outreach call campaign takes to create and distribute (every elder over 80 of a district).",
        discussion: """
            Starts one shouwang-outreach process against SHOUWANG_DATABASE_URL (use a fresh database), \
            puts --contacts residents over 80 on the registry (by SQL, spread over 12 compounds), \
            then creates --runs campaigns over all of them for --callers callers through \
            POST /v1/campaigns and reports the median and slowest time, end to end over HTTP.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Residents targeted by each campaign.")
    var contacts: Int = 4_000

    @Option(help: "Callers the contacts are spread over.")
    var callers: Int = 20

    @Option(help: "Campaigns created; the median is reported.")
    var runs: Int = 7

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        Observability.bootstrap(logLevel: .warning)
        let logger = Logger(label: "shouwang.bench")
        try await Migrator(AllMigrations.all).migrate(configuration.database, logger: logger)
        try await BenchSuppliesCommand.loadGeography(configuration.database, logger: logger)
        try await Self.register(contacts, database: configuration.database, logger: logger)
        let outreach = try await BenchProcesses.start("shouwang-outreach", replicas: 1, configuration: configuration)
        defer { outreach.stop() }
        let token = try outreach.token(.staff, area: "320505-001")
        let names = (1...callers).map { #""caller-\#($0)""# }.joined(separator: ",")
        var times: [Double] = []
        for run in 1...runs {
            let started = ContinuousClock.now
            let answer = try await outreach.send(
                outreach.urls[0] + "/v1/campaigns", method: "POST",
                body: Data(
                    #"{"title":"run \#(run)","area":"320505-001","categories":["elder-80-plus"],"minimumAge":80,"callers":[\#(names)]}"#
                        .utf8), token: token
            )
            let elapsed = (ContinuousClock.now - started) / .milliseconds(1)
            guard answer.status == 201, (try JSONParser.parse(Array(answer.body)))["contacts"]?.intValue == contacts else {
                throw ConfigurationError("campaign failed: \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
            }
            times.append(elapsed)
        }
        let percentiles = Percentiles(times)
        print(BenchmarkReport.machine())
        print("")
        print("| contacts | callers | runs | median | slowest |")
        print("| --- | --- | --- | --- | --- |")
        print(
            "| \(contacts) | \(callers) | \(runs) | \(BenchmarkReport.milliseconds(percentiles.at(0.5))) ms | \(BenchmarkReport.milliseconds(percentiles.maximum)) ms |"
        )
    }

    /// Puts `count` residents over 80 on the registry of street 320505-001.
    static func register(_ count: Int, database: DatabaseURL, logger: Logger) async throws {
        let client = PostgresClient(configuration: database.clientConfiguration(maximumConnections: 1), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(
                """
                INSERT INTO areas (code, parent, level, name)
                SELECT '320505-001-001-' || lpad(n::text, 2, '0'), '320505-001-001', 'compound', 'compound ' || n FROM generate_series(1, 12) n
                ON CONFLICT (code) DO NOTHING
                """,
                logger: logger
            )
            try await client.query(
                """
                INSERT INTO outreach_residents (id, name, birth_year, compound, address, categories, care_level, consent, contact_name, contact_phone)
                SELECT gen_random_uuid(), 'bench ' || n, 1935 + n % 7, '320505-001-001-' || lpad((1 + n % 12)::text, 2, '0'), 'building ' || n,
                       '{elder-80-plus}', 'high', true, 'contact', '1380000' || lpad(n::text, 4, '0')
                FROM generate_series(1, \(count)) n
                """,
                logger: logger
            )
            group.cancelAll()
        }
    }
}
