import Foundation
import Models

/// The communities of a district by street, from intake's public geography
/// (`GET /v1/areas?parent=`), so a resident picks their home community by name instead of
/// typing a code they have never seen. A sign-up link posted in a WeChat group is opened by
/// hundreds at once, and the map changes rarely: a district is asked for once in ten minutes.
actor CommunityDirectory {
    struct Place: Sendable {
        var code: String
        var name: String
    }

    struct Street: Sendable {
        var code: String
        var name: String
        var communities: [Place]
    }

    struct District: Sendable {
        var code: String
        var streets: [Street]
        /// Every area loaded (district, streets, communities) by code.
        var names: [String: String]

        /// The name of `code`, or of the nearest enclosing area known, else the code itself.
        func name(of code: String) -> String {
            var current = code
            while !current.isEmpty {
                if let name = names[current] { return current == code ? name : "\(name) (\(code))" }
                guard let cut = current.lastIndex(of: "-") else { break }
                current = String(current[..<cut])
            }
            return code
        }
    }

    private var cache: [String: (district: District, loaded: Date)] = [:]
    private let lifetime: TimeInterval = 600

    /// The district containing `area` (its first six digits), or `nil` when intake cannot say.
    func district(of area: String, calls: BackendCalls) async -> District? {
        let code = String(area.prefix(6))
        guard code.count == 6, code.allSatisfy(\.isNumber) else { return nil }
        if let known = cache[code], Date().timeIntervalSince(known.loaded) < lifetime { return known.district }
        guard let district = await Self.load(code, calls: calls) else { return cache[code]?.district }
        cache[code] = (district, Date())
        return district
    }

    private static func load(_ code: String, calls: BackendCalls) async -> District? {
        func places(_ parent: String?) async throws -> [Place] {
            let answer = try await calls.get(.intake, "/v1/areas" + (parent.map { "?parent=\($0)" } ?? ""))
            return (answer["areas"] ?? .null).volunteerItems.compactMap { area in
                guard let code = area["code"]?.stringValue else { return nil }
                return Place(code: code, name: area["name"]?.stringValue ?? code)
            }
        }
        do {
            var names: [String: String] = [:]
            if let district = try await places(nil).first(where: { $0.code == code }) { names[code] = district.name }
            let streets = try await places(code)
            let communities = try await withThrowingTaskGroup(of: (Int, [Place]).self) { group in
                for (index, street) in streets.enumerated() { group.addTask { (index, try await places(street.code)) } }
                var found: [Int: [Place]] = [:]
                for try await (index, places) in group { found[index] = places }
                return found
            }
            var result: [Street] = []
            for (index, street) in streets.enumerated() {
                names[street.code] = street.name
                let inStreet = communities[index] ?? []
                for community in inStreet { names[community.code] = community.name }
                result.append(Street(code: street.code, name: street.name, communities: inStreet))
            }
            return District(code: code, streets: result, names: names)
        } catch {
            return nil
        }
    }
}
