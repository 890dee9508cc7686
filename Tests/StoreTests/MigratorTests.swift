import PostgresNIO
import Store
import TestSupport
import Testing

@Suite struct MigratorTests {
    static let extra = Migration(
        component: "test", version: 1, name: "widgets",
        statements: ["CREATE TABLE widgets (id int PRIMARY KEY)", "INSERT INTO widgets VALUES (1)"]
    )

    @Test func aFreshDatabaseGetsEveryMigrationOnceAndASecondRunDoesNothing() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let migrator = Migrator(CoreMigrations.all + [Self.extra])
        let first = try await migrator.migrate(database.url, logger: .test)
        let second = try await migrator.migrate(database.url, logger: .test)
        #expect(first.count == CoreMigrations.all.count + 1)
        #expect(second.isEmpty)
        #expect(try await database.scalar("SELECT count(*)::int FROM widgets", as: Int.self) == 1)
    }

    @Test func replicasMigratingAtOnceApplyEachMigrationOnce() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let migrator = Migrator(CoreMigrations.all + [Self.extra])
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { try await migrator.migrate(database.url, logger: .test).count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Plain CREATE TABLE statements: a second application would have failed loudly.
        #expect(applied.sorted() == [0, 0, 0, 0, CoreMigrations.all.count + 1])
        #expect(try await database.scalar("SELECT count(*)::int FROM schema_migrations", as: Int.self) == CoreMigrations.all.count + 1)
    }

    @Test func aFailingMigrationLeavesNoTraceAndNamesItself() async throws {
        let database = try await TestDatabase.create(migrated: false)
        let broken = Migration(component: "test", version: 2, name: "broken", statements: ["CREATE TABLE half (id int)", "SELEKT 1"])
        do {
            try await Migrator(CoreMigrations.all + [broken]).migrate(database.url, logger: .test)
            Issue.record("a broken migration was applied")
        } catch let error as StoreError {
            #expect(error.code == .migration)
            #expect(error.message.contains("test/2 'broken'"))
        }
        // The whole run is one transaction: not even the core tables were left behind.
        #expect(try await database.scalar("SELECT count(*)::int FROM pg_tables WHERE tablename IN ('half', 'outbox')", as: Int.self) == 0)
    }
}
