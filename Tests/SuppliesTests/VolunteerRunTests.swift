import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// The volunteer a delivery run is planned for reads it on their phone — the doors in the
/// planned order, what to bring, the addresses still to visit — and nobody else reads those
/// addresses; every read of an address is logged for the station.
@Suite struct VolunteerRunTests {
    let staff = SuppliesHarness.staff

    /// A run of two stops (the second work order first) for a new volunteer; returns
    /// (run, volunteer, [first stop's request, second stop's request]).
    static func plannedRun(_ harness: ServiceHarness, _ client: any TestClientProtocol) async throws -> (String, String, [String]) {
        let requests = [try await SuppliesHarness.workOrder(harness), try await SuppliesHarness.workOrder(harness)]
        let (item, depot) = try await SuppliesHarness.itemAndDepot(client, item: "蔬菜包", category: "food")
        _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(10, 30)])
        var reservations: [String] = []
        for (request, quantity) in zip(requests, [1, 2]) {
            let reserved = try await client.send(
                .post, "/v1/reservations", token: SuppliesHarness.staff,
                json: Body([
                    "requestId": .string(request), "depotId": .string(depot), "itemId": .string(item),
                    "quantity": .number(Double(quantity)),
                ]))
            reservations.append(try #require(reserved.json["id"]?.stringValue))
        }
        let volunteer = try await SuppliesHarness.volunteer(harness)
        let run = try await client.send(
            .post, "/v1/delivery-runs", token: SuppliesHarness.staff,
            json: Body([
                "depotId": .string(depot), "volunteerId": .string(volunteer),
                "reservationIds": .array([.string(reservations[1]), .string(reservations[0])]),
            ]))
        #expect(run.status == .created)
        return (try #require(run.json["id"]?.stringValue), volunteer, [requests[1], requests[0]])
    }

    @Test func theRunsVolunteerReadsItsStopsInOrderWithAddressesAndEachReadIsLogged() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (run, volunteer, requests) = try await Self.plannedRun(harness, client)
            let phone = ServiceHarness.token(.volunteer, "320505-001-001", subject: volunteer)
            let read = try await client.send(.get, "/v1/delivery-runs/\(run)", token: phone)
            #expect(read.status == .ok)
            #expect(read.headers[.cacheControl] == "no-store")
            let stops = read.json["stops"].arrayValue
            #expect(stops.compactMap { $0["requestId"]?.stringValue } == requests, "the dispatcher's order")
            #expect(stops.compactMap { $0["position"]?.intValue } == [1, 2])
            #expect(stops.compactMap { $0["quantity"]?.intValue } == [2, 1])
            #expect(stops.allSatisfy { $0["address"] == .string("3幢201室") && $0["item"] == .string("蔬菜包") })
            #expect(stops.allSatisfy { $0["contactName"] == nil && $0["contactPhone"] == nil })

            let staffView = try await client.send(.get, "/v1/delivery-runs/\(run)", token: staff)
            #expect(staffView.json["stops"].arrayValue.allSatisfy { $0["address"] == nil }, "staff read the run without addresses")
            #expect(staffView.json["stops"].arrayValue.compactMap { $0["requestId"]?.stringValue } == requests)

            // The first door is done: its address is no longer shown, nor logged.
            let stop = try #require(stops.first?["id"]?.stringValue)
            let delivered = try await client.send(
                .post, "/v1/delivery-runs/\(run)/stops/\(stop)", token: staff,
                json: Body(["outcome": .string("delivered"), "proof": .string("photo-1")]))
            #expect(delivered.status == .ok)
            let later = try await client.send(.get, "/v1/delivery-runs/\(run)", token: phone)
            #expect(later.json["stops"].arrayValue.map { $0["address"] } == [nil, .string("3幢201室")])

            let reads = try await client.send(.get, "/v1/delivery-runs/\(run)/address-reads", token: staff)
            #expect(reads.status == .ok)
            let lines = reads.json["reads"].arrayValue
            #expect(lines.compactMap { $0["requestId"]?.stringValue } == [requests[0], requests[1], requests[1]])
            #expect(lines.allSatisfy { $0["reader"] == .string(volunteer) && $0["role"] == .string("volunteer") })
            #expect(try await client.send(.get, "/v1/delivery-runs/\(run)/address-reads", token: phone).status == .forbidden)

            let mine = try await client.send(.get, "/v1/delivery-runs", token: phone)
            #expect(mine.json["items"].arrayValue.compactMap { $0["id"]?.stringValue } == [run])
            #expect(mine.json["items"].arrayValue.first?["pending"]?.intValue == 1)
        }
    }

    @Test func anotherVolunteerReadsNothingOfTheRun() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (run, _, _) = try await Self.plannedRun(harness, client)
            let other = UUID().uuidString.lowercased()
            let stranger = ServiceHarness.token(.volunteer, "320505-001-001", subject: other)
            let read = try await client.send(.get, "/v1/delivery-runs/\(run)", token: stranger)
            let missing = try await client.send(.get, "/v1/delivery-runs/\(UUID().uuidString)", token: stranger)
            #expect(read.status == .notFound)
            #expect(read.json["detail"] == missing.json["detail"], "another's run reads as one that does not exist")
            #expect(try await client.send(.get, "/v1/delivery-runs", token: stranger).json["items"].arrayValue.isEmpty)
            let peeking = try await client.send(.get, "/v1/delivery-runs?volunteerId=\(UUID().uuidString)", token: stranger)
            #expect(peeking.status == .forbidden)
        }
        #expect(try await harness.count("SELECT count(*)::int FROM supplies_address_reads") == 0)
    }

    /// The run's addresses go to its volunteer's phone: only a vetted one may be given it.
    @Test func aRunGoesOnlyToAVerifiedVolunteer() async throws {
        let harness = try await SuppliesHarness.create()
        let request = try await SuppliesHarness.workOrder(harness)
        let suspended = try await SuppliesHarness.volunteer(harness, status: "suspended")
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(10, 30)])
            let reserved = try await client.send(
                .post, "/v1/reservations", token: SuppliesHarness.staff,
                json: Body(["requestId": .string(request), "depotId": .string(depot), "itemId": .string(item), "quantity": .number(1)]))
            let reservation = try #require(reserved.json["id"]?.stringValue)
            for volunteer in [suspended, UUID().uuidString] {
                let run = try await client.send(
                    .post, "/v1/delivery-runs", token: SuppliesHarness.staff,
                    json: Body([
                        "depotId": .string(depot), "volunteerId": .string(volunteer), "reservationIds": .array([.string(reservation)]),
                    ]))
                #expect(run.status == .unprocessableContent)
                #expect(run.json["errors"].arrayValue.first?["field"] == .string("volunteerId"))
            }
        }
        #expect(try await harness.count("SELECT count(*)::int FROM delivery_runs") == 0)
    }
}
