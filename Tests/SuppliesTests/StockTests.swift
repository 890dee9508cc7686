import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// Receipts, reservations, delivery and the ledger, over HTTP against a real database.
@Suite struct StockTests {
    let staff = SuppliesHarness.staff

    @Test func reservationsTakeTheFirstExpiringLotAndNeverOversell() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client, item: "蔬菜包", category: "food")
            let lots = try await SuppliesHarness.receive(client, depot: depot, item: item, [(50, 10), (30, 2), (20, nil)])
            let request = try await SuppliesHarness.workOrder(harness)
            let first = try await client.send(
                .post, "/v1/reservations", token: staff,
                json: Body([
                    "requestId": .string(request), "depotId": .string(depot), "itemId": .string(item), "quantity": .number(40),
                ]))
            #expect(first.status == .created)
            let stock = try await client.send(.get, "/v1/stock?depotId=\(depot)", token: staff).json.arrayValue
            let reservedByLot = Dictionary(
                uniqueKeysWithValues: stock.compactMap { lot in lot["lotId"]?.stringValue.map { ($0, lot["reserved"]?.intValue ?? -1) } })
            #expect(reservedByLot == [lots[1]: 30, lots[0]: 10, lots[2]: 0], "the lot expiring in 2 days goes first")
            let tooMuch = try await client.send(
                .post, "/v1/reservations", token: staff,
                json: Body([
                    "depotId": .string(depot), "itemId": .string(item), "quantity": .number(61),
                ]))
            #expect(tooMuch.status == .conflict)
            #expect(tooMuch.json["detail"]?.stringValue?.contains("Only 60 available") == true)
            let released = try await client.send(
                .post, "/v1/reservations/\(first.json["id"]!.stringValue!)/release", token: staff,
                json: Body(["reason": .string("resident cancelled")]))
            #expect(released.json["status"] == .string("released"))
            let again = try await client.send(
                .post, "/v1/reservations/\(first.json["id"]!.stringValue!)/release", token: staff, json: Body(["reason": .string("twice")]))
            #expect(again.status == .conflict)
        }
        try await Self.expectLedgerMatchesBalances(harness)
        #expect(try await harness.events("supplies.reservation.created").count == 1)
        #expect(try await harness.events("supplies.reservation.released").first?["status"] == .string("released"))
    }

    @Test func aDeliveryRunIssuesDeliveredStopsAndPutsFailedOnesBack() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(200, 30)])
            var reservations: [String] = []
            for _ in 0..<2 {
                let reserved = try await client.send(
                    .post, "/v1/reservations", token: staff,
                    json: Body([
                        "requestId": .string(try await SuppliesHarness.workOrder(harness)), "depotId": .string(depot),
                        "itemId": .string(item), "quantity": .number(20),
                    ]))
                reservations.append(try #require(reserved.json["id"]?.stringValue))
            }
            let run = try await client.send(
                .post, "/v1/delivery-runs", token: staff,
                json: Body([
                    "depotId": .string(depot), "volunteerId": .string(try await SuppliesHarness.volunteer(harness)),
                    "reservationIds": .array(reservations.map(JSONValue.string)),
                ]))
            #expect(run.status == .created)
            let stops = run.json["stops"].arrayValue
            let runID = try #require(run.json["id"]?.stringValue)
            let delivered = try await client.send(
                .post, "/v1/delivery-runs/\(runID)/stops/\(stops[0]["id"]!.stringValue!)", token: staff,
                json: Body([
                    "outcome": .string("delivered"), "proof": .string("photo 0231"),
                ]))
            #expect(delivered.status == .ok)
            let failed = try await client.send(
                .post, "/v1/delivery-runs/\(runID)/stops/\(stops[1]["id"]!.stringValue!)", token: staff,
                json: Body([
                    "outcome": .string("failed"), "reason": .string("nobody home"),
                ]))
            #expect(failed.json["stops"].arrayValue.map { $0["status"]?.stringValue } == ["delivered", "failed"])
            let repeated = try await client.send(
                .post, "/v1/delivery-runs/\(runID)/stops/\(stops[1]["id"]!.stringValue!)", token: staff,
                json: Body([
                    "outcome": .string("delivered"), "proof": .string("late"),
                ]))
            #expect(repeated.status == .conflict)
            let stock = try await client.send(.get, "/v1/stock?depotId=\(depot)", token: staff).json.arrayValue
            #expect(stock.first?["onHand"]?.intValue == 180 && stock.first?["reserved"]?.intValue == 0)
        }
        try await Self.expectLedgerMatchesBalances(harness)
        #expect(try await harness.events("supplies.dispatch.delivered").count == 1)
        #expect(try await harness.events("supplies.dispatch.failed").first?["requestId"] != nil)
    }

    @Test func writeOffsAndTransfersKeepEveryMovementAndRefuseWhatIsNotThere() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            let lots = try await SuppliesHarness.receive(client, depot: depot, item: item, [(100, 5), (100, 60)])
            let other = try await client.send(
                .post, "/v1/depots", token: staff,
                json: Body([
                    "name": .string("慈善超市"), "kind": .string("charity-supermarket"), "area": .string("320505-001-002"),
                ])
            ).json["id"]!.stringValue!
            let damaged = try await client.send(
                .post, "/v1/adjustments", token: staff,
                json: Body([
                    "lotId": .string(lots[0]), "quantity": .number(10), "reason": .string("water damage"),
                ]))
            #expect(damaged.status == .created)
            #expect(
                try await client.send(
                    .post, "/v1/adjustments", token: staff,
                    json: Body([
                        "lotId": .string(lots[0]), "quantity": .number(91), "reason": .string("miscount"),
                    ])
                ).status == .conflict)
            let moved = try await client.send(
                .post, "/v1/transfers", token: staff,
                json: Body([
                    "fromDepotId": .string(depot), "toDepotId": .string(other), "itemId": .string(item), "quantity": .number(120),
                    "reason": .string("rebalance"),
                ]))
            #expect(moved.status == .created)
            let there = try await client.send(.get, "/v1/stock?depotId=\(other)", token: staff).json.arrayValue
            #expect(there.map { $0["onHand"]?.intValue } == [90, 30], "the first-expiring lot moves first, with its expiry")
            let outside = ServiceHarness.token(.staff, "320505-002")
            #expect(try await client.send(.get, "/v1/stock?depotId=\(depot)", token: outside).status == .notFound)
            let movements = try await client.send(.get, "/v1/stock/movements?depotId=\(depot)", token: staff).json["items"].arrayValue
            #expect(movements.map { $0["kind"]?.stringValue } == ["receipt", "receipt", "adjustment", "transfer-out", "transfer-out"])
        }
        try await Self.expectLedgerMatchesBalances(harness)
    }

    @Test func aCallForDonationsCountsPledgesAndDeliveriesAndTheDonorGetsAReceipt() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client, item: "蔬菜包", category: "food")
            let drive = try await client.send(
                .post, "/v1/donation-drives", token: staff,
                json: Body([
                    "title": .string("为封控小区募集蔬菜包"), "area": .string("320505-001"), "itemId": .string(item), "target": .number(2000),
                    "deadline": .string(Timestamp.format(Date().addingTimeInterval(7 * 86_400))),
                ])
            ).json["id"]!.stringValue!
            let donor = try await client.send(
                .post, "/v1/donors", token: staff,
                json: Body([
                    "kind": .string("enterprise"), "name": .string("苏州某农业公司"), "area": .string("320505-001"),
                ])
            ).json["id"]!.stringValue!
            let pledge = try await client.send(
                .post, "/v1/pledges", token: staff,
                json: Body([
                    "donorId": .string(donor), "driveId": .string(drive), "depotId": .string(depot), "itemId": .string(item),
                    "quantity": .number(1200),
                ])
            ).json["id"]!.stringValue!
            for quantity in [500, 300] {
                let receipt = try await client.send(
                    .post, "/v1/receipts", token: staff,
                    json: Body([
                        "depotId": .string(depot), "donorId": .string(donor), "pledgeId": .string(pledge),
                        "lines": .array([
                            .object([
                                "itemId": .string(item), "quantity": .number(Double(quantity)),
                                "expiresAt": .string(Timestamp.format(Date().addingTimeInterval(3 * 86_400))),
                            ])
                        ]),
                    ]))
                #expect(receipt.status == .created)
                #expect(receipt.json["donor"] == .string("苏州某农业公司"))
            }
            let progress = try await client.send(.get, "/v1/donation-drives/\(drive)")
            #expect(progress.status == .ok, "the call's page is public")
            #expect(
                progress.json["pledged"]?.intValue == 1200 && progress.json["received"]?.intValue == 800
                    && progress.json["target"]?.intValue == 2000)
        }
        let received = try await harness.events("supplies.donation.received")
        #expect(received.count == 2)
        #expect(!"\(received)\(try await harness.events("supplies.donation.pledged"))".contains("农业公司"))
    }

    @Test func theWatchAnnouncesLowStockAndExpiringLotsOnce() async throws {
        let harness = try await SuppliesHarness.create()
        try await harness.run { client in
            let (item, depot) = try await SuppliesHarness.itemAndDepot(client)
            _ = try await SuppliesHarness.receive(client, depot: depot, item: item, [(40, 2), (500, 200)])
            let threshold = try await client.send(
                .put, "/v1/stock/thresholds", token: staff,
                json: Body([
                    "depotId": .string(depot), "itemId": .string(item), "minimum": .number(600),
                ]))
            #expect(threshold.status == .ok)
        }
        try await harness.database.withClient { client in
            let watch = StockWatch(client: client, logger: .test)
            try await watch.check()
            try await watch.check()
        }
        let low = try await harness.events("supplies.stock.low")
        #expect(low.count == 1)
        #expect(low.first?["available"]?.intValue == 540)
        let expiring = try await harness.events("supplies.lot.expiring")
        #expect(expiring.count == 1)
        #expect(expiring.first?["onHand"]?.intValue == 40)
    }

    @Test func anAllocationPlanSplitsALotByNeedAndSumsExactly() async throws {
        let harness = try await SuppliesHarness.create()
        _ = try await harness.database.withClient { client in
            try await client.query(
                """
                INSERT INTO outreach_residents (id, name, birth_year, compound, address, categories, care_level, consent, contact_name, contact_phone)
                SELECT gen_random_uuid(), 'r', 1940, '320505-001-002-01', 'a', '{elder-80-plus}', 'high', true, 'c', '13812345678' FROM generate_series(1, 7)
                """,
                logger: .test
            )
        }
        try await harness.run { client in
            let plan = try await client.send(
                .post, "/v1/allocation-plans", token: staff, json: Body(["area": .string("320505-001"), "quantity": .number(200)]))
            #expect(plan.status == .ok)
            let shares = plan.json["shares"].arrayValue
            #expect(shares.map { $0["community"]?.stringValue } == ["320505-001-001", "320505-001-002"])
            #expect(shares.compactMap { $0["quantity"]?.intValue } == [0, 200])
            #expect(shares.last?["reasoning"]?.stringValue?.contains("7 vulnerable residents") == true)
        }
    }

    /// Every lot's balance equals the sum of its movements, and nothing is negative.
    static func expectLedgerMatchesBalances(_ harness: ServiceHarness) async throws {
        let mismatches = try await harness.count(
            """
            SELECT count(*) FROM stock_balances b
            LEFT JOIN (SELECT lot_id, sum(on_hand_change) AS on_hand, sum(reserved_change) AS reserved FROM stock_movements GROUP BY lot_id) m
              ON m.lot_id = b.lot_id
            WHERE coalesce(m.on_hand, 0) <> b.on_hand OR coalesce(m.reserved, 0) <> b.reserved OR b.on_hand < 0 OR b.reserved < 0
            """
        )
        #expect(mismatches == 0)
    }
}
