import Foundation
import Hummingbird
import ServiceKit
import ServiceLifecycle
import Store

/// Intake: the front door. Volunteer sign-up and vetting, residents' requests and
/// testing-round check-ins arrive here, are validated, stored and announced on the bus.
/// Keeps no state in memory that another replica would need (rate limits are per replica
/// by design), so operators can run N replicas behind a load balancer during a surge.
public enum IntakeService {
    /// The service as the kit runs it: stream `intake`, HTTP port 8081 by default.
    public static let description = routesAndConsumers.servingOpenAPI(from: .module)

    private static let routesAndConsumers = ServiceDescription(
        name: "intake", defaultHTTPPort: 8081, migrations: IntakeMigrations.all,
        configure: { router, dependencies in
            let settings = IntakeSettings.fromEnvironment()
            AreaRoutes(dependencies: dependencies).add(to: router)
            OrganizationRoutes(dependencies: dependencies).add(to: router)
            TeamRoutes(dependencies: dependencies).add(to: router)
            RecruitmentCallRoutes(dependencies: dependencies).add(to: router)
            VolunteerRoutes(
                dependencies: dependencies,
                signUpLimiter: RateLimiter(perMinute: settings.publicRequestsPerMinute, burst: settings.publicBurst)
            )
            .add(to: router)
            RequestRoutes(
                dependencies: dependencies,
                publicLimiter: RateLimiter(perMinute: settings.publicRequestsPerMinute, burst: settings.publicBurst),
                duplicateWindow: settings.duplicateWindow
            ).add(to: router)
            VolunteerTokenRoutes(dependencies: dependencies).add(to: router)
            VolunteerImportRoutes(dependencies: dependencies).add(to: router)
            RequestTaskRoutes(dependencies: dependencies).add(to: router)
            let checkinWriter = CheckinWriter(client: dependencies.client, logger: dependencies.logger)
            TestingRoutes(dependencies: dependencies, writer: checkinWriter).add(to: router)
            let consumers: [any Service] = ["matching", "supplies", "outreach"].map { stream in
                RequestProgressConsumer(
                    stream: stream, endpoints: dependencies.configuration.bus, client: dependencies.client, logger: dependencies.logger)
            }
            let needs = OutreachNeedConsumer(
                endpoints: dependencies.configuration.bus, client: dependencies.client, duplicateWindow: settings.duplicateWindow,
                logger: dependencies.logger
            )
            return [checkinWriter, needs] + consumers
        }
    )
}

/// Intake's own settings, from the environment.
struct IntakeSettings {
    /// Requests of one household and category within this window are flagged as probable duplicates.
    var duplicateWindow: Duration = .seconds(24 * 3600)
    /// Public sign-ups and residents' requests per client address and minute, per replica.
    var publicRequestsPerMinute = 30
    var publicBurst = 10

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> IntakeSettings {
        var settings = IntakeSettings()
        if let hours = environment["SHOUWANG_INTAKE_DUPLICATE_WINDOW_HOURS"].flatMap(Double.init), hours >= 0 {
            settings.duplicateWindow = .seconds(hours * 3600)
        }
        if let rate = environment["SHOUWANG_INTAKE_PUBLIC_PER_MINUTE"].flatMap(Int.init), rate > 0 {
            settings.publicRequestsPerMinute = rate
            settings.publicBurst = max(1, rate / 3)
        }
        return settings
    }
}
