import EventBus
import Foundation
import Models
import Testing

@testable import Intake
@testable import Matching
@testable import Outreach
@testable import Supplies

/// The event contract and the code cannot drift apart: each stream's catalogue, the table
/// of docs/EVENTS.md and the schemas of docs/events.schema.json name the same topics.
/// (That every emitted event matches its schema is checked over the whole test run's
/// outboxes by Deploy/contract/check-events.py.)
@Suite struct EventContractTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let catalogues: [(stream: String, topics: [Topic])] = [
        (IntakeEvents.stream, IntakeEvents.topics), (MatchingEvents.stream, MatchingEvents.topics),
        (SuppliesEvents.stream, SuppliesEvents.topics), (OutreachEvents.stream, OutreachEvents.topics),
    ]

    static var published: Set<String> { Set(catalogues.flatMap { $0.topics.map(\.rawValue) }) }

    /// The topics of the table rows (`| \`topic\` | … |`), the publish-test probes left out.
    static func documented() throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/EVENTS.md"), encoding: .utf8)
        var topics = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            if !cell.contains("<") { topics.insert(String(cell)) }
        }
        return topics
    }

    static func schemaTopics() throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("docs/events.schema.json"))
        let document = try JSONParser.parse(Array(data))
        guard case .object(let topics)? = document["topics"] else { throw ContractError("docs/events.schema.json has no topics object") }
        return Set(topics.keys)
    }

    struct ContractError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func eachCatalogueListsItsOwnStreamsTopicsOnce() {
        for (stream, topics) in Self.catalogues {
            #expect(!topics.isEmpty, "\(stream) publishes nothing?")
            #expect(
                topics.allSatisfy { $0.rawValue.hasPrefix(stream + ".") },
                "\(stream): \(topics.filter { !$0.rawValue.hasPrefix(stream + ".") })")
            #expect(Set(topics).count == topics.count, "\(stream) lists a topic twice")
        }
    }

    @Test func theEventsTableNamesExactlyThePublishedTopics() throws {
        let documented = try Self.documented()
        #expect(Self.published.subtracting(documented).sorted() == [], "published but not in docs/EVENTS.md")
        #expect(documented.subtracting(Self.published).sorted() == [], "in docs/EVENTS.md but published by no catalogue")
    }

    @Test func everyPublishedTopicHasADataSchemaAndNoOtherDoes() throws {
        let schemas = try Self.schemaTopics()
        #expect(Self.published.subtracting(schemas).sorted() == [], "published without a schema in docs/events.schema.json")
        #expect(schemas.subtracting(Self.published).sorted() == [], "a schema for a topic nobody publishes")
    }
}
