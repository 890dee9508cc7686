/// Builds a roster that never breaks a hard rule and minimises the locality
/// objective, together with a proven lower bound.
///
/// Why this design: the objective without the per-volunteer schedule rules is
/// a transportation problem that min-cost flow solves exactly and fast; the
/// schedule rules mostly bind at the edges. So the solver
/// 1. solves the block relaxation exactly (`RosterRelaxation`), which gives
///    both the lower bound and a near-legal roster;
/// 2. keeps, per volunteer, the most valuable legal subset of the relaxed
///    placements;
/// 3. refills empty seats and lowers costs with ejection chains
///    (`EjectionChainSearch`), never accepting a move that breaks a rule or
///    worsens the objective;
/// 4. on small instances whose bound is not yet met, finishes with an exact
///    branch-and-bound (`ExactSearch`) so the answer is provably optimal;
/// 5. with the objective final, breaks ties by the preferences (teams
///    together, hours spread, night posts rotated) with `PreferencePass`,
///    whose moves never change the objective or break a rule.
/// Every step iterates in input order, so equal instances give equal rosters.
public struct RosterSolver: Sendable {
    /// Knobs that trade time for quality; the defaults fit interactive use.
    public struct Options: Sendable, Hashable {
        /// Node budget of the exact search; 0 disables it.
        public var exactSearchNodeLimit: Int
        /// The exact search is only attempted up to this many slots in total.
        public var exactSearchMaxSlots: Int
        /// Longest ejection chain (number of shifts touched).
        public var chainDepth: Int
        /// Shifts expanded per ejection-chain search.
        public var chainExpansions: Int
        /// Rounds of refill + improvement.
        public var improvementRounds: Int
        /// Evaluations of the Lagrangian bound (the first at the flow's optimal
        /// seat prices, the rest subgradient steps), run only while the flow
        /// bound leaves a gap; 0 keeps the flow bound. In measurements the
        /// subgradient steps rarely improved on the first evaluation.
        public var lagrangianIterations: Int
        /// Sweeps of the preference pass (tie-breaking after the objective is
        /// final); 0 disables it. The score is reported either way.
        public var preferenceRounds: Int
        /// Weights of the preferences in the secondary score.
        public var preferenceWeights: PreferenceWeights

        public init(
            exactSearchNodeLimit: Int = 300_000, exactSearchMaxSlots: Int = 40,
            chainDepth: Int = 4, chainExpansions: Int = 48, improvementRounds: Int = 4,
            lagrangianIterations: Int = 1, preferenceRounds: Int = 8,
            preferenceWeights: PreferenceWeights = PreferenceWeights()
        ) {
            self.preferenceRounds = preferenceRounds
            self.preferenceWeights = preferenceWeights
            self.lagrangianIterations = lagrangianIterations
            self.exactSearchNodeLimit = exactSearchNodeLimit
            self.exactSearchMaxSlots = exactSearchMaxSlots
            self.chainDepth = chainDepth
            self.chainExpansions = chainExpansions
            self.improvementRounds = improvementRounds
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Solves a validated copy of `instance`.
    public func solve(_ instance: RosterInstance) throws(RosterInstanceError) -> RosterSolution {
        try instance.validate()
        let model = RosterModel(instance)
        let relaxation = RosterRelaxation(model: model)
        var schedules = Self.legalSubset(of: relaxation.placements, model: model)

        var search = EjectionChainSearch(model: model)
        search.maxDepth = options.chainDepth
        search.maxExpansions = options.chainExpansions
        var objective = Self.objective(schedules, model: model)
        for _ in 0..<max(1, options.improvementRounds) where objective > relaxation.bound {
            let before = objective
            Self.refill(&schedules, search: search, model: model)
            Self.improve(&schedules, search: search, model: model)
            objective = Self.objective(schedules, model: model)
            if objective >= before { break }
        }
        Self.refill(&schedules, search: search, model: model)
        objective = Self.objective(schedules, model: model)

        var lowerBound = relaxation.bound
        if objective > lowerBound && options.lagrangianIterations > 0 {
            let lagrangian = LagrangianBound(model: model).bound(
                startingPrices: relaxation.seatPrices, bestKnown: objective, iterations: options.lagrangianIterations
            )
            lowerBound = max(lowerBound, min(lagrangian, objective))
        }
        if objective > lowerBound && options.exactSearchNodeLimit > 0 && model.totalSlots <= options.exactSearchMaxSlots {
            var exact = ExactSearch(
                model: model, incumbent: objective, nodeLimit: options.exactSearchNodeLimit, floor: lowerBound)
            let finished = exact.run()
            if exact.improved {
                schedules = VolunteerSchedules(volunteerCount: model.volunteerCount, shiftCount: model.shiftCount)
                for placement in exact.bestPlacements {
                    schedules.assign(placement.volunteer, to: placement.shift)
                }
                objective = exact.bestCost
            }
            if finished { lowerBound = objective }
        }
        // Decided only now: the exact search may reach the bound and still run
        // out of nodes, or improve the roster without finishing.
        let proven = objective == lowerBound

        // Tie-breaking: every move keeps the price, so objective, bound and
        // proof stay valid. The recount is a cheap guard against a bug there.
        var preferences = PreferencePass(
            instance: instance, model: model, schedules: schedules, weights: options.preferenceWeights
        )
        if options.preferenceRounds > 0 {
            preferences.run(rounds: options.preferenceRounds)
            if Self.objective(preferences.schedules, model: model) == objective {
                schedules = preferences.schedules
            } else {
                assertionFailure("the preference pass changed the objective")
                preferences = PreferencePass(
                    instance: instance, model: model, schedules: schedules, weights: options.preferenceWeights
                )
            }
        }
        return Self.solution(
            instance: instance, model: model, schedules: schedules,
            objective: objective, lowerBound: lowerBound, proven: proven,
            preferences: preferences.score())
    }

    static func objective(_ schedules: VolunteerSchedules, model: RosterModel) -> Int {
        var total = 0
        for shift in 0..<model.shiftCount {
            let crew = schedules.crew[shift]
            total += (model.shiftSlots[shift] - crew.count) * PlacementCost.unfilledSlot
            for volunteer in crew { total += model.cost(shift: shift, volunteer: Int(volunteer)) }
        }
        return total
    }

    /// Per volunteer, the most valuable set of relaxed placements that obeys
    /// the schedule rules (value = 100 − cost of each kept placement).
    static func legalSubset(of placements: [(shift: Int, volunteer: Int)], model: RosterModel) -> VolunteerSchedules {
        var byVolunteer = [[Int]](repeating: [], count: model.volunteerCount)
        for placement in placements { byVolunteer[placement.volunteer].append(placement.shift) }
        var schedules = VolunteerSchedules(volunteerCount: model.volunteerCount, shiftCount: model.shiftCount)
        for volunteer in 0..<model.volunteerCount {
            let shifts = byVolunteer[volunteer].sorted()
            if shifts.isEmpty { continue }
            let kept: [Int]
            if VolunteerSchedules.isFeasible(shifts, model: model) {
                kept = shifts
            } else if shifts.count <= 12 {
                var bestValue = -1
                var bestSet: [Int] = []
                for mask in 1..<(1 << shifts.count) {
                    let subset = shifts.indices.filter { mask & (1 << $0) != 0 }.map { shifts[$0] }
                    let value = subset.reduce(0) { $0 + PlacementCost.unfilledSlot - model.cost(shift: $1, volunteer: volunteer) }
                    if value > bestValue && VolunteerSchedules.isFeasible(subset, model: model) {
                        bestValue = value
                        bestSet = subset
                    }
                }
                kept = bestSet
            } else {
                var greedy: [Int] = []
                for shift in shifts.sorted(by: {
                    (model.cost(shift: $0, volunteer: volunteer), $0) < (model.cost(shift: $1, volunteer: volunteer), $1)
                })
                where VolunteerSchedules.isFeasible(greedy + [shift], model: model) {
                    greedy.append(shift)
                }
                kept = greedy
            }
            for shift in kept { schedules.assign(volunteer, to: shift) }
        }
        return schedules
    }

    /// Fills empty seats with the cheapest chain cheaper than leaving them empty.
    static func refill(_ schedules: inout VolunteerSchedules, search: EjectionChainSearch, model: RosterModel) {
        for shift in 0..<model.shiftCount {
            while schedules.filled(shift) < model.shiftSlots[shift] {
                guard let chain = search.cheapestFill(of: shift, startingCost: 0, excluded: [], schedules: schedules),
                    chain.cost < PlacementCost.unfilledSlot, !chain.moves.isEmpty
                else { break }
                EjectionChainSearch.apply(chain, to: &schedules)
            }
        }
    }

    /// Replaces costly placements when a chain of moves does it more cheaply.
    static func improve(_ schedules: inout VolunteerSchedules, search: EjectionChainSearch, model: RosterModel) {
        var costly: [(cost: Int, shift: Int, volunteer: Int)] = []
        for shift in 0..<model.shiftCount {
            for volunteer32 in schedules.crew[shift] {
                let volunteer = Int(volunteer32)
                let cost = model.cost(shift: shift, volunteer: volunteer)
                if cost > 0 { costly.append((cost, shift, volunteer)) }
            }
        }
        costly.sort { ($1.cost, $0.shift, $0.volunteer) < ($0.cost, $1.shift, $1.volunteer) }
        for placement in costly where schedules.isOn(placement.volunteer, placement.shift) {
            schedules.unassign(placement.volunteer, from: placement.shift)
            if let chain = search.cheapestFill(
                of: placement.shift, startingCost: -placement.cost, excluded: [placement.volunteer], schedules: schedules
            ), chain.cost < 0 {
                EjectionChainSearch.apply(chain, to: &schedules)
            } else {
                schedules.assign(placement.volunteer, to: placement.shift)
            }
        }
    }

    static func solution(
        instance: RosterInstance, model: RosterModel, schedules: VolunteerSchedules,
        objective: Int, lowerBound: Int, proven: Bool, preferences: PreferenceScore
    ) -> RosterSolution {
        var assignments: [RosterAssignment] = []
        var unfilled: [UnfilledSlots] = []
        var explainer = UnfilledExplainer(instance: instance, model: model)
        var filled = 0
        for shift in 0..<model.shiftCount {
            let crew = schedules.crew[shift].map(Int.init).sorted()
            filled += crew.count
            for volunteer in crew {
                assignments.append(
                    RosterAssignment(
                        shiftId: instance.shifts[shift].id,
                        volunteerId: instance.volunteers[volunteer].id,
                        cost: model.cost(shift: shift, volunteer: volunteer)
                    ))
            }
            let empty = model.shiftSlots[shift] - crew.count
            if empty > 0 {
                let (cause, reason) = explainer.explain(shift: shift, schedules: schedules)
                unfilled.append(UnfilledSlots(shiftId: instance.shifts[shift].id, count: empty, cause: cause, reason: reason))
            }
        }
        return RosterSolution(
            assignments: assignments, unfilled: unfilled, objective: objective, lowerBound: lowerBound,
            provenOptimal: proven, totalSlots: model.totalSlots, filledSlots: filled, preferences: preferences
        )
    }
}
