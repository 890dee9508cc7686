import Foundation
import TestSupport
import Testing

/// No Docker engine runs here, so the compose deployment is checked by what can run without
/// one: Debian's docker-compose parser (installed by Deploy/local/test.sh; a broken file fails
/// CI), its normalised output read back as data, the balancer's config read and — where
/// `haproxy` is installed — checked by HAProxy itself, and the two scripts run on this host.
@Suite struct DeploymentFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The four HTTP services and their well-known ports; each may run as N replicas.
    static let scalable = ["intake": 8081, "matching": 8082, "supplies": 8083, "outreach": 8084]

    // MARK: - Running tools

    typealias Run = CommandRun

    /// Runs `executable` with `arguments` in the checkout, adding `environment` to ours.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try runCommand(executable, arguments, environment: environment, in: root)
    }

    /// The path of `name` on PATH, if installed.
    static func installed(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func composeConfig(_ file: URL, quiet: Bool = true, environment: [String: String] = [:]) throws -> (
        status: Int32, errors: String
    ) {
        let result = try composeRun(file, quiet: quiet, environment: environment)
        return (result.status, result.errors)
    }

    static func composeRun(_ file: URL, quiet: Bool, environment: [String: String]) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose") else {
            throw TestSetupError("docker-compose is not installed: Deploy/local/test.sh installs it")
        }
        return try run("/usr/bin/docker-compose", ["-f", file.path, "config"] + (quiet ? ["-q"] : []), environment: environment)
    }

    /// A temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The compose file as docker-compose normalises it (anchors merged, variables filled
    /// in), read as data: YAML → JSON through python3's PyYAML, which docker-compose itself
    /// depends on.
    static func normalisedCompose(environment: [String: String]) throws -> [String: Any] {
        let result = try composeRun(root.appendingPathComponent("docker-compose.yml"), quiet: false, environment: environment)
        guard result.status == 0 else { throw TestSetupError("docker-compose config failed: \(result.errors)") }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = folder.appendingPathComponent("config.yml")
        try result.output.write(to: yaml, atomically: true, encoding: .utf8)
        let converted = try run(
            "/usr/bin/python3",
            ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", yaml.path]
        )
        guard converted.status == 0 else { throw TestSetupError("python3 could not read docker-compose's output: \(converted.errors)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(converted.output.utf8)) as? [String: Any] else {
            throw TestSetupError("docker-compose config printed no mapping")
        }
        return object
    }

    /// Runs Deploy/compose/prepare.sh into a fresh folder; returns the folder (remove it).
    static func preparedSecrets(_ arguments: [String] = [], into folder: URL? = nil) throws -> URL {
        let secrets = try folder ?? temporaryFolder().appendingPathComponent("secrets")
        let result = try run(
            "/bin/bash", [root.appendingPathComponent("Deploy/compose/prepare.sh").path] + arguments,
            environment: ["SHOUWANG_COMPOSE_SECRETS": secrets.path])
        guard result.status == 0 else { throw TestSetupError("prepare.sh failed: \(result.errors)") }
        return secrets
    }

    static func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    // MARK: - The compose file

    @Test func theComposeFileIsValid() throws {
        let (status, errors) = try Self.composeConfig(Self.root.appendingPathComponent("docker-compose.yml"))
        #expect(status == 0, "\(errors)")
    }

    @Test func theCheckerRejectsABrokenComposeFile() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        let broken = Self.root.appendingPathComponent(".local/broken-compose-\(UUID().uuidString).yml")
        try FileManager.default.createDirectory(at: broken.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.replacingOccurrences(of: "condition: service_healthy", with: "condition: [not, a, condition]").write(
            to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        #expect(try Self.composeConfig(broken).status != 0)
    }

    @Test func everyServiceRunsTheSameEnvironmentVariablesAsTheArchitecture() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        for variable in [
            "SHOUWANG_DATABASE_URL", "SHOUWANG_BUS_PUBLISH", "SHOUWANG_BUS_SUBSCRIBE", "SHOUWANG_BUS_REPLAY", "SHOUWANG_HTTP_PORT",
            "SHOUWANG_TRUSTED_PROXIES",
        ] {
            #expect(text.contains(variable))
        }
        for service in ["postgres:", "bus:", "intake:", "matching:", "supplies:", "outreach:", "balancer:"] {
            #expect(text.contains("\n  \(service)"))
        }
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("Deploy/docker/Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("libzmq5"))
    }

    /// `docker compose up --scale intake=4` works only if no replica claims a host port.
    @Test func onlyTheBalancerPublishesPorts() throws {
        let compose = try Self.normalisedCompose(environment: [:])
        let services = try #require(compose["services"] as? [String: [String: Any]])
        for (name, service) in services where name != "balancer" {
            #expect(service["ports"] == nil, "\(name) publishes \(service["ports"] ?? "")")
        }
        let balancer = try #require(services["balancer"])
        let ports = try #require(balancer["ports"] as? [[String: Any]])
        let published = Set(ports.map { "\($0["published"] ?? "")->\($0["target"] ?? "")" })
        // The four services and the console (8085), all behind the one TLS door.
        #expect(published == Set((Array(Self.scalable.values) + [8085]).map { "\($0)->\($0)" }))
        #expect(balancer["image"] as? String == "haproxy:2.6")
        let volumes = balancer["volumes"] as? [String] ?? []
        #expect(volumes.contains { $0.hasSuffix("/Deploy/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro") })
        #expect(volumes.contains { $0.hasPrefix("tls:/usr/local/etc/haproxy/certs") })
        // The balancer starts only once the certificate exists.
        let waits = balancer["depends_on"] as? [String: [String: String]]
        #expect(waits?["certs"]?["condition"] == "service_completed_successfully")
        #expect(services["certs"] != nil)
    }

    /// The database password, the database URL and the token secret come from files that are
    /// not in git, through compose `secrets:` and the `…_FILE` variables.
    @Test func secretsComeFromFilesOutsideTheComposeFile() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        #expect(!text.contains("shouwang:shouwang@"))
        #expect(!text.contains("POSTGRES_PASSWORD:"))

        let secrets = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: secrets) }
        let compose = try Self.normalisedCompose(environment: ["SHOUWANG_COMPOSE_SECRETS": secrets.path])
        let declared = try #require(compose["secrets"] as? [String: [String: Any]])
        #expect(Set(declared.keys) == ["postgres_password", "database_url", "token_secret", "integrator_token_secret"])
        for (name, secret) in declared {
            #expect(
                secret["file"] as? String == secrets.appendingPathComponent(name).path,
                "secret \(name) is read from \(secret["file"] ?? "nowhere")")
        }

        let services = try #require(compose["services"] as? [String: [String: Any]])
        func secretNames(_ service: String) -> Set<String> {
            let list = services[service]?["secrets"] as? [Any] ?? []
            return Set(list.compactMap { ($0 as? [String: Any])?["source"] as? String ?? $0 as? String })
        }
        func environment(_ service: String) -> [String: String] {
            (services[service]?["environment"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        }
        let network = ((compose["networks"] as? [String: Any])?["default"] as? [String: Any])?["ipam"] as? [String: Any]
        let subnet = ((network?["config"] as? [[String: Any]])?.first?["subnet"] as? String) ?? "none"
        // The bus checks integrators' tokens with its own secret and never holds the services'.
        #expect(secretNames("bus") == ["database_url", "integrator_token_secret"], "bus: \(secretNames("bus"))")
        #expect(environment("bus")["SHOUWANG_INTEGRATOR_TOKEN_SECRET_FILE"] == "/run/secrets/integrator_token_secret")
        #expect(environment("bus")["SHOUWANG_TOKEN_SECRET_FILE"] == nil)
        for service in Self.scalable.keys {
            let variables = environment(service)
            #expect(secretNames(service).isSuperset(of: ["database_url", "token_secret"]), "\(service): \(secretNames(service))")
            #expect(variables["SHOUWANG_DATABASE_URL_FILE"] == "/run/secrets/database_url", "\(service)")
            #expect(variables["SHOUWANG_TOKEN_SECRET_FILE"] == "/run/secrets/token_secret", "\(service)")
            #expect(
                variables["SHOUWANG_DATABASE_URL"] == nil && variables["SHOUWANG_TOKEN_SECRET"] == nil,
                "\(service) has a secret in its environment")
            #expect(variables["SHOUWANG_HTTP_PORT"] == "\(Self.scalable[service]!)")
            // X-Forwarded-For is believed from the compose network, which only the balancer enters from outside.
            #expect(variables["SHOUWANG_TRUSTED_PROXIES"] == subnet, "\(service)")
        }
        for service in ["bus", "keys"] {
            #expect(secretNames(service).contains("database_url"), "\(service)")
            #expect(environment(service)["SHOUWANG_DATABASE_URL_FILE"] == "/run/secrets/database_url", "\(service)")
            #expect(environment(service)["SHOUWANG_DATABASE_URL"] == nil, "\(service)")
        }
        #expect(secretNames("postgres") == ["postgres_password"])
        #expect(environment("postgres")["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password")
        #expect(environment("postgres")["POSTGRES_PASSWORD"] == nil)
    }

    /// The bus issue's CURVE keys stay wired in: made once by `keys`, read from `buskeys`.
    @Test func theBusKeysStayWiredIn() throws {
        let compose = try Self.normalisedCompose(environment: [:])
        let services = try #require(compose["services"] as? [String: [String: Any]])
        let keys = try #require(services["keys"])
        #expect((keys["command"] as? [String])?.first == "shouwang-provision-keys")
        #expect((keys["volumes"] as? [String] ?? []).contains { $0.hasPrefix("buskeys:/run/shouwang/keys") })
        for service in Array(Self.scalable.keys) + ["bus"] {
            let definition = try #require(services[service])
            #expect((definition["volumes"] as? [String] ?? []).contains("buskeys:/run/shouwang/keys:ro"), "\(service)")
            let waits = definition["depends_on"] as? [String: [String: String]]
            #expect(waits?["keys"]?["condition"] == "service_completed_successfully", "\(service)")
            let variables = definition["environment"] as? [String: Any] ?? [:]
            #expect(variables["SHOUWANG_BUS_SERVER_KEY_FILE"] as? String == "/run/shouwang/keys/bus.pub", "\(service)")
            #expect(variables["SHOUWANG_BUS_SECRET_KEY_FILE"] != nil, "\(service)")
            #expect(definition["ports"] == nil, "\(service)")
        }
    }

    // MARK: - The secrets and the certificate

    @Test func prepareMakesPrivateSecretsOnceAndTheURLUsesThePassword() throws {
        let secrets = try Self.preparedSecrets()
        defer { try? FileManager.default.removeItem(at: secrets.deletingLastPathComponent()) }
        #expect(try Self.mode(of: secrets) == 0o700)
        #expect(try Self.mode(of: secrets.appendingPathComponent("tls")) == 0o700)
        #expect(try Self.mode(of: secrets.appendingPathComponent("postgres_password")) == 0o600)
        // Readable by the services' uid inside the containers; the 0700 folder guards them on the host.
        #expect(try Self.mode(of: secrets.appendingPathComponent("database_url")) == 0o644)
        #expect(try Self.mode(of: secrets.appendingPathComponent("token_secret")) == 0o644)

        let password = try Self.text(secrets.appendingPathComponent("postgres_password")).trimmingCharacters(in: .newlines)
        #expect(password.count == 64 && password.allSatisfy(\.isHexDigit))
        #expect(try Self.text(secrets.appendingPathComponent("database_url")) == "postgres://shouwang:\(password)@postgres:5432/shouwang\n")
        let token = try Self.text(secrets.appendingPathComponent("token_secret"))
        #expect(token.trimmingCharacters(in: .newlines).count == 64 && token != password)
        let integrators = try Self.text(secrets.appendingPathComponent("integrator_token_secret"))
        #expect(integrators.trimmingCharacters(in: .newlines).count == 64 && integrators != token)
        #expect(try Self.mode(of: secrets.appendingPathComponent("integrator_token_secret")) == 0o644)

        // Again: nothing changes (a new password would no longer open the database volume).
        _ = try Self.preparedSecrets(into: secrets)
        #expect(try Self.text(secrets.appendingPathComponent("postgres_password")) == password + "\n")
        #expect(try Self.text(secrets.appendingPathComponent("token_secret")) == token)

        // Rotation replaces the token secret only.
        _ = try Self.preparedSecrets(["--rotate-token-secret"], into: secrets)
        #expect(try Self.text(secrets.appendingPathComponent("token_secret")) != token)
        #expect(try Self.text(secrets.appendingPathComponent("postgres_password")) == password + "\n")
        #expect(try Self.mode(of: secrets.appendingPathComponent("token_secret")) == 0o644)
    }

    @Test(.enabled(if: DeploymentFilesTests.installed("openssl") != nil, "needs openssl"))
    func theCertificateStepMakesASelfSignedOneOnceOrInstallsTheSuppliedOne() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let supplied = folder.appendingPathComponent("supplied")
        let tls = folder.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: supplied, withIntermediateDirectories: true)
        let script = Self.root.appendingPathComponent("Deploy/compose/certs.sh").path
        let environment = [
            "SUPPLIED_DIR": supplied.path, "TLS_DIR": tls.path, "SHOUWANG_TLS_NAMES": "localhost,127.0.0.1,shouwang.example.org",
            "OWNER": "",
        ]
        let openssl = try #require(Self.installed("openssl"))

        let first = try Self.run("/bin/sh", [script], environment: environment)
        #expect(first.status == 0, "\(first.errors)")
        let pem = tls.appendingPathComponent("shouwang.pem")
        let made = try Self.text(pem)
        #expect(made.contains("PRIVATE KEY-----") && made.contains("BEGIN CERTIFICATE-----"))
        #expect(try Self.mode(of: pem) == 0o600)
        let names = try Self.run(openssl, ["x509", "-in", pem.path, "-noout", "-ext", "subjectAltName"])
        #expect(
            names.output.contains("DNS:localhost") && names.output.contains("IP Address:127.0.0.1")
                && names.output.contains("DNS:shouwang.example.org"))
        let publicPart = try Self.text(tls.appendingPathComponent("shouwang.crt"))
        #expect(publicPart.contains("BEGIN CERTIFICATE") && !publicPart.contains("PRIVATE KEY"))

        // A second start keeps it (clients may have pinned it).
        #expect(try Self.run("/bin/sh", [script], environment: environment).status == 0)
        #expect(try Self.text(pem) == made)

        // A supplied certificate replaces it; one whose key does not match is refused.
        let key = folder.appendingPathComponent("key.pem")
        let certificate = folder.appendingPathComponent("certificate.pem")
        let request = try Self.run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=shouwang.example.org",
                "-keyout", key.path, "-out", certificate.path,
            ])
        #expect(request.status == 0, "\(request.errors)")
        let suppliedPEM = try Self.text(key) + Self.text(certificate)
        try suppliedPEM.write(to: supplied.appendingPathComponent("shouwang.pem"), atomically: true, encoding: .utf8)
        let installed = try Self.run("/bin/sh", [script], environment: environment)
        #expect(installed.status == 0, "\(installed.errors)")
        #expect(try Self.text(pem) == suppliedPEM)

        try (made.components(separatedBy: "-----BEGIN CERTIFICATE-----")[0] + Self.text(certificate))
            .write(to: supplied.appendingPathComponent("shouwang.pem"), atomically: true, encoding: .utf8)
        #expect(try Self.run("/bin/sh", [script], environment: environment).status != 0)
        #expect(try Self.text(pem) == suppliedPEM)
    }

    // MARK: - The balancer

    /// The sections of an HAProxy config: header line → its indented lines (comments dropped).
    static func haproxySections() throws -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current = ""
        for line in try text(root.appendingPathComponent("Deploy/compose/haproxy.cfg")).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first?.isWhitespace == false {
                current = trimmed
                sections[current] = []
            } else {
                sections[current, default: []].append(trimmed)
            }
        }
        return sections
    }

    @Test func theBalancerSendsEachPortToEveryReplicaThatIsReady() throws {
        let sections = try Self.haproxySections()
        let defaults = try #require(sections["defaults"])
        let global = try #require(sections["global"])
        let resolvers = try #require(sections["resolvers docker"])
        #expect(resolvers.contains("nameserver dns 127.0.0.11:53"))
        // Health: GET /readyz on every server (default-server), unless a backend says otherwise.
        #expect(defaults.contains("option httpchk"))
        #expect(defaults.contains { $0.hasPrefix("http-check send meth GET uri /readyz") })
        #expect(defaults.contains("http-check expect status 200"))
        let server = try #require(defaults.first { $0.hasPrefix("default-server ") }).split(separator: " ")
        for word in ["check", "resolvers", "docker", "init-addr", "none"] {
            #expect(server.contains(Substring(word)), "default-server lacks \(word)")
        }
        // Retries, draining.
        #expect(defaults.contains { $0.hasPrefix("retries ") })
        #expect(defaults.contains { $0.hasPrefix("option redispatch") })
        let retryOn = try #require(defaults.first { $0.hasPrefix("retry-on ") })
        for event in ["conn-failure", "empty-response", "503"] { #expect(retryOn.contains(event)) }
        #expect(global.contains { $0.hasPrefix("hard-stop-after ") })

        let frontend = try #require(sections["frontend public"])
        let bind = try #require(frontend.first { $0.hasPrefix("bind ") })
        for port in Self.scalable.values { #expect(bind.contains(":\(port)")) }
        #expect(bind.contains(" ssl crt "))
        #expect(!bind.contains("h2"), "HTTP/2 clients resend what HAProxy calls a refused stream, even a committed POST")
        #expect(frontend.contains("option forwardfor"))
        #expect(frontend.contains("http-request del-header X-Forwarded-For"))
        // A sent write is replayed only when it carries an Idempotency-Key.
        #expect(frontend.contains { $0.hasPrefix("http-request disable-l7-retry") && $0.contains("Idempotency-Key") })

        for (service, port) in Self.scalable {
            #expect(
                frontend.contains { $0.hasPrefix("use_backend \(service) ") && $0.hasSuffix("{ dst_port \(port) }") },
                "no route to \(service)")
            let backend = try #require(sections["backend \(service)"], "no backend \(service)")
            let template = backend.first { $0.hasPrefix("server-template \(service) ") }?.split(separator: " ") ?? []
            #expect(
                template.count >= 4 && template[3] == "\(service):\(port)",
                "backend \(service) does not find the replicas of \(service):\(port)")
            #expect(
                !backend.contains { $0.hasPrefix("option httpchk") || $0.hasPrefix("no option httpchk") || $0.hasPrefix("http-check") },
                "backend \(service) replaces the /readyz check")
        }
    }

    static var haproxyAndOpenSSL: Bool { installed("haproxy") != nil && installed("openssl") != nil }

    /// HAProxy's own parser (the same 2.6 as the image, on Debian bookworm). Skipped where
    /// haproxy is not installed: `apt-get install haproxy`.
    @Test(.enabled(if: DeploymentFilesTests.haproxyAndOpenSSL, "needs haproxy and openssl"))
    func haproxyAcceptsTheBalancerConfig() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try Self.run(
            "/bin/sh", [Self.root.appendingPathComponent("Deploy/compose/certs.sh").path],
            environment: [
                "SUPPLIED_DIR": folder.appendingPathComponent("none").path, "TLS_DIR": folder.appendingPathComponent("tls").path,
                "OWNER": "",
            ])
        #expect(made.status == 0, "\(made.errors)")
        let check = try Self.run(
            try #require(Self.installed("haproxy")), ["-c", "-f", Self.root.appendingPathComponent("Deploy/compose/haproxy.cfg").path],
            environment: ["SHOUWANG_TLS_CERTIFICATE": folder.appendingPathComponent("tls/shouwang.pem").path])
        #expect(check.status == 0, "\(check.output)\(check.errors)")
    }
}
