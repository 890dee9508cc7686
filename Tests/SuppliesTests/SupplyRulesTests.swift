import Foundation
import HummingbirdTesting
import Models
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// What a cold review found could go wrong: each case as a user would meet it.
@Suite struct SupplyRulesTests {
    let staff = SuppliesHarness.staff

    @Test func aStopCannotBeDeliveredAfterItsReservationEndedNorReleasedWhileOutForDelivery() async throws {
        let harness = try await SuppliesHarness.create()
        let request = try await SuppliesHarness.workOrder(harness)
        let volunteer = try await SuppliesHarness.volunteer(harness)
        let stopped = Recorder<String>()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(10, 30)])
            let reservation = try #require(
                try await client.send(
                    .post, "/v1/reservations", token: staff,
                    json: Body([
                        "requestId": .string(request), "depotId": .string(depot), "itemId": .string(item), "quantity": .number(4),
                    ])
                ).json["id"]?.stringValue)
            let run = try await client.send(
                .post, "/v1/delivery-runs", token: staff,
                json: Body([
                    "depotId": .string(depot), "volunteerId": .string(volunteer), "reservationIds": .array([.string(reservation)]),
                ]))
            let again = try await client.send(
                .post, "/v1/delivery-runs", token: staff,
                json: Body([
                    "depotId": .string(depot), "volunteerId": .string(volunteer), "reservationIds": .array([.string(reservation)]),
                ]))
            #expect(again.status == .unprocessableContent, "a reservation goes on one run")
            let release = try await client.send(
                .post, "/v1/reservations/\(reservation)/release", token: staff, json: Body(["reason": .string("changed mind")]))
            #expect(release.status == .conflict)
            stopped.append(contentsOf: [run.json["id"]!.stringValue!, run.json["stops"].arrayValue[0]["id"]!.stringValue!])
        }
        // The resident cancels while the courier is out: the stop is called off, the stock comes back.
        _ = try await harness.database.withClient { client in
            let consumer = WorkOrderConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                try await consumer.apply(
                    WorkOrderConsumerTests.event("intake.request.cancelled", ["requestId": .string(request)]), on: connection)
            }
        }
        try await harness.run { client in
            let (run, stop) = (stopped.all[0], stopped.all[1])
            let late = try await client.send(
                .post, "/v1/delivery-runs/\(run)/stops/\(stop)", token: staff,
                json: Body([
                    "outcome": .string("delivered"), "proof": .string("photo"),
                ]))
            #expect(late.status == .conflict)
            let depot = try #require(try await client.send(.get, "/v1/depots", token: staff).json.arrayValue.first?["id"]?.stringValue)
            let stock = try await client.send(.get, "/v1/stock?depotId=\(depot)", token: staff).json.arrayValue
            #expect(stock.first?["onHand"]?.intValue == 10 && stock.first?["available"]?.intValue == 10)
            let refused = try await client.send(
                .post, "/v1/reservations", token: staff,
                json: Body([
                    "requestId": .string(request), "depotId": .string(depot), "itemId": .string(stock.first!["itemId"]!.stringValue!),
                    "quantity": .number(1),
                ]))
            #expect(refused.status == .conflict, "nothing is reserved for a cancelled work order")
        }
        try await StockTests.expectLedgerMatchesBalances(harness)
    }

    @Test func aCancellationSeenBeforeTheCreationOpensNoPurchaseAndCancelsOpenOnes() async throws {
        let harness = try await SuppliesHarness.create()
        let replayed = UUID()
        let live = UUID()
        _ = try await harness.database.withClient { client in
            let consumer = WorkOrderConsumer(endpoints: ServiceHarness.unusedBus, client: client, logger: .test)
            return try await client.transaction(logger: .test) { connection in
                let medicine: [String: JSONValue] = ["category": .string("medicine"), "compound": .string("320505-001-001-01")]
                // Replay order: "cancelled" sorts before "created".
                try await consumer.apply(
                    WorkOrderConsumerTests.event("intake.request.cancelled", ["requestId": .string(replayed.uuidString)]), on: connection)
                try await consumer.apply(
                    WorkOrderConsumerTests.event(
                        "intake.request.created", medicine.merging(["requestId": .string(replayed.uuidString)]) { $1 }), on: connection)
                try await consumer.apply(
                    WorkOrderConsumerTests.event(
                        "intake.request.created", medicine.merging(["requestId": .string(live.uuidString)]) { $1 }), on: connection)
                try await consumer.apply(
                    WorkOrderConsumerTests.event(
                        "intake.request.created", medicine.merging(["requestId": .string(live.uuidString)]) { $1 }), on: connection)
                try await consumer.apply(
                    WorkOrderConsumerTests.event("intake.request.merged", ["requestId": .string(live.uuidString)]), on: connection)
            }
        }
        #expect(try await harness.count("SELECT count(*) FROM purchase_tasks WHERE request_id = '\(replayed)'") == 0)
        #expect(try await harness.count("SELECT count(*) FROM purchase_tasks WHERE request_id = '\(live)' AND status = 'cancelled'") == 1)
        #expect(try await harness.events("supplies.purchase.cancelled").count == 1)
    }

    @Test func pledgesReceiptsAndDonorsStayInTheirArea() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            let donor = try await client.send(
                .post, "/v1/donors", token: staff,
                json: Body([
                    "kind": .string("individual"), "name": .string("张先生"), "area": .string("320505-001"),
                ])
            ).json["id"]!.stringValue!
            let pledge = try await client.send(
                .post, "/v1/pledges", token: staff,
                json: Body([
                    "donorId": .string(donor), "depotId": .string(depot), "itemId": .string(item), "quantity": .number(100),
                ])
            ).json["id"]!.stringValue!
            let otherStaff = ServiceHarness.token(.staff, "320505-002")
            let otherDepot = try await client.send(
                .post, "/v1/depots", token: otherStaff,
                json: Body([
                    "name": .string("横塘仓库"), "kind": .string("community-store"), "area": .string("320505-002-001"),
                ])
            ).json["id"]!.stringValue!
            let crossPledge = try await client.send(
                .post, "/v1/receipts", token: otherStaff,
                json: Body([
                    "depotId": .string(otherDepot), "pledgeId": .string(pledge),
                    "lines": .array([.object(["itemId": .string(item), "quantity": .number(10)])]),
                ]))
            #expect(crossPledge.status == .unprocessableContent)
            let crossDonor = try await client.send(
                .post, "/v1/pledges", token: otherStaff,
                json: Body([
                    "donorId": .string(donor), "depotId": .string(otherDepot), "itemId": .string(item), "quantity": .number(5),
                ]))
            #expect(crossDonor.status == .unprocessableContent)
            let overDelivered = try await client.send(
                .post, "/v1/receipts", token: staff,
                json: Body([
                    "depotId": .string(depot), "pledgeId": .string(pledge),
                    "lines": .array([.object(["itemId": .string(item), "quantity": .number(101)])]),
                ]))
            #expect(overDelivered.status == .unprocessableContent)
            let expired = try await client.send(
                .post, "/v1/receipts", token: staff,
                json: Body([
                    "depotId": .string(depot),
                    "lines": .array([
                        .object(["itemId": .string(item), "quantity": .number(5), "expiresAt": .string("2020-01-01T00:00:00Z")])
                    ]),
                ]))
            #expect(expired.status == .unprocessableContent)
        }
        #expect(try await harness.count("SELECT coalesce(sum(received), 0) FROM donation_pledges") == 0)
        #expect(!"\(try await harness.events("supplies.donation.pledged"))".contains("张先生"))
    }

    @Test func expiredLotsCountForNothingWhenStockIsWatched() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            let lots = try await SuppliesHarness.receive(client, depot: depot, item: item, [(500, 3)])
            _ = try await harness.count(
                "WITH x AS (UPDATE lots SET expires_at = now() - interval '1 hour' WHERE id = '\(lots[0])' RETURNING 1) SELECT count(*) FROM x"
            )
            #expect(
                try await client.send(
                    .put, "/v1/stock/thresholds", token: staff,
                    json: Body([
                        "depotId": .string(depot), "itemId": .string(item), "minimum": .number(10),
                    ])
                ).status == .ok)
            let stock = try await client.send(.get, "/v1/stock?depotId=\(depot)", token: staff).json.arrayValue
            #expect(stock.first?["expired"] == .bool(true) && stock.first?["available"]?.intValue == 0)
        }
        try await harness.database.withClient { client in try await StockWatch(client: client, logger: .test).check() }
        #expect(try await harness.events("supplies.stock.low").first?["available"]?.intValue == 0)
    }

    /// Reservations of several lots at once, with releases racing them, over real
    /// connections: nothing oversold, no request lost to a deadlock, the ledger balanced.
    @Test func concurrentMultiLotReservationsAndReleasesStayConsistent() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(7, 2), (11, 5), (13, 9), (17, nil)])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        let reserved = try await client.send(
                            .post, "/v1/reservations", token: staff,
                            json: Body([
                                "depotId": .string(depot), "itemId": .string(item), "quantity": .number(Double(1 + n % 5)),
                            ]))
                        if n % 3 == 0, let id = reserved.json["id"]?.stringValue {
                            _ = try await client.send(
                                .post, "/v1/reservations/\(id)/release", token: staff, json: Body(["reason": .string("race")]))
                        }
                        return Int(reserved.status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(statuses)")
        }
        try await StockTests.expectLedgerMatchesBalances(harness)
        let held = try await harness.count("SELECT coalesce(sum(quantity), 0) FROM reservations WHERE status = 'held'")
        #expect(try await harness.count("SELECT sum(reserved) FROM stock_balances") == held)
        #expect(held <= 48)
    }
}
