import EventBus
import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `Deploy/local/backup.sh` and `restore.sh` on a suite that has done real work: intake took
/// requests and check-ins over HTTP and its relay sequenced their events, and a few events
/// were still waiting for a sequence number when the dump was taken. The dump is restored
/// into a fresh database on the same cluster, which must hold the same rows, need no
/// migration, and let a relay number what was waiting. docs/OPERATIONS.md cites this test.
@Suite(.serialized) struct BackupRestoreTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let secret = "backup-restore-test-secret"
    /// Tables whose every row is compared between the source and the restored database.
    static let compared = [
        "schema_migrations", "outbox", "topic_heads", "consumer_positions", "inbox", "idempotency_keys", "bus_keys",
        "areas", "requests", "testing_rounds", "checkins",
    ]

    @Test func aDumpOfAWorkingSuiteRestoresIntoAFreshDatabaseWithTheSameRowsAndNothingToMigrate() async throws {
        let suite = try await Deployment.create(migrated: false)
        // Every component's schema, as a deployment has it: the restored copy must need nothing.
        let migrate = try await suite.start("shouwang", ["migrate"], keyless: true)
        #expect(await migrate.waitForExit(timeout: .seconds(120)) == 0, "\(migrate.errorOutput)")
        let bus = try await suite.startBus()
        defer { bus.terminate() }
        // Registered before the dump, so the restored key list has it too.
        let relayKey = try await suite.key(stream: "test")

        // Real work through the service.
        let port = FreePort.next()
        let intake = try await suite.start("shouwang-intake", ["--port", "\(port)"], environment: ["SHOUWANG_TOKEN_SECRET": Self.secret])
        defer { intake.kill() }
        let base = "http://127.0.0.1:\(port)"
        try await Self.waitUntilReady(base, intake)
        try await Self.work(base)
        // Every write committed its events with its answer; intake's relay numbers them.
        let sequenced = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            (try? await Self.text(suite.database.url, "SELECT count(*) FILTER (WHERE seq IS NULL) = 0 AND count(*) >= 6 FROM outbox"))
                == "true"
        }
        #expect(sequenced, "intake's relay did not sequence its events: \(intake.errorOutput.suffix(2000))")
        let events = try #require(Int(try await Self.text(suite.database.url, "SELECT count(*) FROM outbox") ?? ""))
        intake.terminate()
        #expect(await intake.waitForExit(timeout: .seconds(20)) != nil)
        // Committed but not yet numbered when the dump is taken (no relay runs for `test`).
        let waiting = (0..<3).map { n in
            OutboxEvent(topic: try! Topic("test.probe.p\(n % 2)"), key: "k\(n)", area: "320505", data: .object(["n": .number(Double(n))]))
        }
        try await TestDatabase.withClient(suite.database.url) { client in
            try await client.transaction(logger: .test) { connection in try await Outbox.append(waiting, on: connection, logger: .test) }
        }
        let source = try await Self.snapshot(suite.database.url)
        let outbox = try #require(source["outbox: count, max(seq), unsequenced"])
        #expect(outbox.hasPrefix("\(events + 3) ") && outbox.hasSuffix(" 3"), "\(source)")
        #expect(source["requests"]?.hasPrefix("5 ") == true && source["checkins"]?.hasPrefix("50 ") == true, "\(source)")

        // The backup: one verified file, named with the UTC time, readable by its owner only.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-backups-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["SHOUWANG_DATABASE_URL": Self.urlText(suite.database.url)]
        let backup = try Self.script("backup.sh", ["--output", folder.path], environment: environment)
        #expect(backup.status == 0, "backup.sh failed:\n\(backup.output)\n\(backup.errors)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1, "\(files)")
        let dump = try #require(files.first.map { folder.appendingPathComponent($0) })
        #expect(dump.lastPathComponent.wholeMatch(of: #/shouwang-t_[0-9a-f]{16}-\d{8}T\d{6}Z\.dump/#) != nil, "\(dump.lastPathComponent)")
        #expect(backup.output.hasSuffix(dump.path + "\n"), "the last line is not the dump's path:\n\(backup.output)")
        #expect(backup.output.contains("verified"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dump.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Nothing changes the source after the dump: what follows compares against `source`.

        // The restore, into a database that does not exist yet.
        let name = suite.database.name + "_r"
        let restore = try Self.script("restore.sh", ["--database", name, dump.path], environment: environment)
        #expect(restore.status == 0, "restore.sh failed:\n\(restore.output)\n\(restore.errors)")
        for check in [
            "ok  schema_migrations", "ok  topic_heads", "ok  consumer_positions", "public.outbox", "idle_in_transaction_session_timeout",
        ] {
            #expect(restore.output.contains(check), "restore.sh did not report \(check):\n\(restore.output)")
        }
        #expect(restore.output.contains("outbox rows without seq (test 3)"), "\(restore.output)")
        let restoredURL = suite.database.url.with(database: name)
        #expect(try await Self.snapshot(restoredURL) == source)
        #expect(
            try await Self.text(
                restoredURL,
                "SELECT coalesce(array_to_string(setconfig, ','), '') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database() AND s.setrole = 0"
            )
                == "idle_in_transaction_session_timeout=60s")

        // The restored schema is the current one: `shouwang migrate` finds nothing to do.
        let again = try await suite.start(
            "shouwang", ["migrate"], keyless: true, environment: ["SHOUWANG_DATABASE_URL": Self.urlText(restoredURL)])
        #expect(await again.waitForExit(timeout: .seconds(60)) == 0, "\(again.errorOutput)")
        #expect(again.output.contains("schema is up to date"), "\(again.output)")
        #expect(try await Self.snapshot(restoredURL)["schema_migrations"] == source["schema_migrations"])

        // A relay on the restored database numbers what was waiting, after the restored heads.
        let relay = try await suite.start(
            "shouwang", ["relay", "--stream", "test"], key: relayKey, environment: ["SHOUWANG_DATABASE_URL": Self.urlText(restoredURL)])
        defer { relay.kill() }
        let numbered = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            (try? await Self.text(restoredURL, "SELECT count(*) FROM outbox WHERE seq IS NULL")) == "0"
        }
        #expect(numbered, "the relay did not sequence the restored outbox: \(relay.errorOutput.suffix(2000))")
        #expect(
            try await Self.text(
                restoredURL, "SELECT string_agg(topic || '=' || head, ',' ORDER BY topic) FROM topic_heads WHERE stream = 'test'")
                == "test.probe.p0=2,test.probe.p1=1")
        #expect(
            try await Self.text(suite.database.url, "SELECT count(*) FROM outbox WHERE seq IS NULL") == "3", "the source must be untouched")
        relay.terminate()
        #expect(await relay.waitForExit(timeout: .seconds(20)) != nil)

        // A database that holds tables is not overwritten, unless --force sets it aside.
        let refused = try Self.script("restore.sh", ["--database", name, dump.path], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("holds tables"), "\(refused.errors)")
        let forced = try Self.script("restore.sh", ["--database", name, "--force", dump.path], environment: environment)
        #expect(forced.status == 0, "restore.sh --force failed:\n\(forced.output)\n\(forced.errors)")
        #expect(try await Self.snapshot(restoredURL) == source, "--force did not restore the dump's rows")
        let aside = try #require(forced.output.firstMatch(of: #/is now (\S+_before_restore_\d{8}T\d{6}Z)/#).map { String($0.1) })
        #expect(
            try await Self.text(suite.database.url.with(database: aside), "SELECT count(*) FROM outbox WHERE seq IS NULL") == "0",
            "the set-aside database is the one the relay sequenced")
    }

    @Test func restoreRefusesWhatIsNotAShouwangDump() async throws {
        let database = try await TestDatabase.create()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-backups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.dump")
        try Data("not a dump".utf8).write(to: junk)
        let environment = ["SHOUWANG_DATABASE_URL": Self.urlText(database.url)]
        let restore = try Self.script("restore.sh", ["--database", database.name + "_r", junk.path], environment: environment)
        #expect(restore.status != 0)
        #expect(restore.errors.contains("not a dump"), "\(restore.errors)")
        // And backup.sh refuses a database that is not the suite's, keeping no file.
        let admin = try TestDatabase.adminURL()
        let backup = try Self.script(
            "backup.sh", ["--output", folder.path], environment: ["SHOUWANG_DATABASE_URL": Self.urlText(admin.with(database: "postgres"))])
        #expect(backup.status != 0)
        #expect(backup.errors.contains("holds no data of outbox"), "\(backup.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["junk.dump"])
    }

    // MARK: - The work

    static func work(_ base: String) async throws {
        let areas =
            #"[{"code":"320505","name":"虎丘区"},{"code":"320505-001","name":"狮山"},{"code":"320505-001-001","name":"和平社区"},{"code":"320505-001-001-01","name":"和平苑"}]"#
        let (status, body) = try await send(base + "/v1/areas", method: "PUT", token: try token(.operator, nil), json: areas)
        guard status == 200 else { throw TestSetupError("could not load areas: \(status) \(body)") }
        for n in 0..<5 {
            let request =
                #"{"category":"medicine","details":{"drugName":"氨氯地平","dose":"5mg"},"urgency":"urgent","compound":"320505-001-001-01","address":"3幢20\#(n)室","zone":"sealed","contactName":"王老伯","contactPhone":"1391234567\#(n)","filedBy":"resident"}"#
            let (status, body) = try await send(base + "/v1/requests", token: nil, key: "request-\(n)", json: request)
            guard status == 201 else { throw TestSetupError("request \(n): \(status) \(body)") }
        }
        let staff = try token(.staff, "320505-001")
        let round = try await send(
            base + "/v1/testing-rounds", token: staff,
            json: #"{"name":"r","area":"320505-001","startsAt":"2026-11-25T00:00:00Z","endsAt":"2026-11-26T00:00:00Z"}"#)
        let roundID = try JSONParser.parse(Array(round.1.utf8))["id"]!.stringValue!
        let site = try await send(
            base + "/v1/testing-rounds/\(roundID)/sites", token: staff,
            json: #"{"area":"320505-001-001","name":"s","opensAt":"07:00","closesAt":"19:00","expectedPopulation":500}"#)
        let siteID = try JSONParser.parse(Array(site.1.utf8))["id"]!.stringValue!
        let scanned = Timestamp.format(Date().addingTimeInterval(-30))
        let items = (0..<50).map { n in
            #"{"roundId":"\#(roundID)","siteId":"\#(siteID)","residentCode":"RES-\#(n)","tubeBarcode":"TB-\#(200000 + n)","scannedAt":"\#(scanned)","operator":"op1"}"#
        }
        let batch = try await send(
            base + "/v1/checkins", token: try token(.device, "320505-001-001"), key: "batch-1",
            json: #"{"items":[\#(items.joined(separator: ","))]}"#)
        guard batch.0 == 200 else { throw TestSetupError("check-ins: \(batch.0) \(batch.1)") }
    }

    static func token(_ role: AccessRole, _ area: String?) throws -> String {
        try TokenSigner(secret: secret).issue(
            AccessToken(subject: "backup-e2e", role: role, area: area.flatMap(AreaCode.init), expiresAt: Date().addingTimeInterval(3600)))
    }

    static func send(_ url: String, method: String = "POST", token: String?, key: String? = nil, json: String) async throws -> (Int, String)
    {
        try await sendJSON(url, method: method, token: token, key: key, json: json)
    }

    static func waitUntilReady(_ base: String, _ process: ChildProcess) async throws {
        let ready = await answers(base + "/readyz")
        guard ready else { throw TestSetupError("intake at \(base) did not become ready: \(process.errorOutput)") }
    }

    // MARK: - Comparing databases

    /// Per table, its row count and a digest of every row's text; plus the outbox's count,
    /// highest seq and unsequenced rows.
    static func snapshot(_ url: DatabaseURL) async throws -> [String: String] {
        var result: [String: String] = [:]
        for table in compared {
            result[table] = try await text(
                url, "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \(table) t"
            )
        }
        result["outbox: count, max(seq), unsequenced"] = try await text(
            url, "SELECT count(*) || ' ' || coalesce(max(seq)::text, '-') || ' ' || count(*) FILTER (WHERE seq IS NULL) FROM outbox"
        )
        return result
    }

    /// The one column of the first row of `sql`, as PostgreSQL writes it as text.
    static func text(_ url: DatabaseURL, _ sql: String) async throws -> String? {
        try await TestDatabase.withClient(url) { client in
            let query = PostgresQuery(unsafeSQL: "SELECT q.v::text FROM (\(sql)) AS q(v)")
            for try await value in try await client.query(query, logger: .test).decode(String?.self) { return value }
            return nil
        }
    }

    /// `url` as text, password included (the scripts read it from SHOUWANG_DATABASE_URL).
    static func urlText(_ url: DatabaseURL) -> String {
        let password = url.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return "postgres://\(url.username)\(password)@\(url.host):\(url.port)/\(url.database)" + (url.requireTLS ? "?sslmode=require" : "")
    }

    // MARK: - Running the scripts

    typealias Run = CommandRun

    /// Runs `Deploy/local/NAME` with bash in the checkout, with `environment` added to ours
    /// (minus the variables that would point the scripts elsewhere).
    static func script(_ name: String, _ arguments: [String], environment: [String: String]) throws -> Run {
        try runCommand(
            "/bin/bash", [root.appendingPathComponent("Deploy/local/\(name)").path] + arguments, environment: environment,
            removing: [
                "SHOUWANG_DATABASE_URL", "SHOUWANG_DATABASE_URL_FILE", "SHOUWANG_RESTORE_DATABASE_URL", "PGPASSWORD", "PGDATABASE",
                "PGHOST", "PGPORT", "PGUSER",
            ],
            in: root
        )
    }
}
