import Foundation
import TestSupport
import Testing

/// The Kubernetes manifests (Deploy/k8s): every overlay renders and matches the Kubernetes
/// schemas (check.sh), a broken manifest fails that check, and the rendered objects keep the
/// promises Deploy/k8s/README.md makes — probes, non-root read-only containers, intake's
/// autoscaler, disruption budgets, and NetworkPolicies that leave the bus's publish port to
/// the relays and PostgreSQL to Shouwang's own pods.
@Suite struct KubernetesManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let manifests = root.appendingPathComponent("Deploy/k8s")
    static let check = manifests.appendingPathComponent("check.sh").path

    /// `command`'s path on PATH.
    static func locate(_ command: String) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let path = directories.map({ "\($0)/\(command)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSetupError(
                command == "kubectl"
                    ? "kubectl is not installed: the manifests are rendered with kubectl 1.27 or newer (Deploy/k8s/README.md)"
                    : "\(command) is not installed"
            )
        }
        return path
    }

    /// Runs `command` in `directory`: its exit status and everything it printed.
    static func run(_ command: String, _ arguments: [String], in directory: URL = root) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(command))
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyOverlayRendersAndMatchesTheKubernetesSchemas() throws {
        _ = try Self.locate("kubectl")
        let (status, output) = try Self.run("bash", [Self.check])
        #expect(status == 0, "\(output)")
        // The CloudNativePG resources were checked against validate.py's schemas, not skipped.
        #expect(output.contains("2 custom resource(s) against validate.py's own schemas"), "\(output)")
    }

    @Test(arguments: [
        // A wrong type, an API that does not exist, a misspelt field, a broken custom resource.
        ("base/matching.yaml", "replicas: 2", "replicas: \"three\""),
        ("base/supplies.yaml", "apiVersion: apps/v1", "apiVersion: apps/v2"),
        ("base/outreach.yaml", "readinessProbe:", "readinesProbe:"),
        ("components/cloudnative-pg/cluster.yaml", "instances: 3", "instances: three"),
    ])
    func aBrokenManifestFailsTheCheck(_ file: String, _ good: String, _ broken: String) throws {
        _ = try Self.locate("kubectl")
        let copy = Self.root.appendingPathComponent(".local/k8s-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        let manifests = copy.appendingPathComponent("k8s")
        try FileManager.default.copyItem(at: Self.manifests, to: manifests)
        let target = manifests.appendingPathComponent(file)
        let text = try String(contentsOf: target, encoding: .utf8)
        try #require(text.contains(good))
        try text.replacingOccurrences(of: good, with: broken).write(to: target, atomically: true, encoding: .utf8)
        let (status, output) = try Self.run("bash", [Self.check, manifests.path])
        // 1 is a broken manifest; 2 would be a machine without kubectl or the validator.
        #expect(status == 1, "\(output)")
        #expect(output.contains("FAIL"), "\(output)")
    }

    @Test func theRenderedObjectsKeepTheirPromises() throws {
        _ = try Self.locate("kubectl")
        let overlays = try FileManager.default.contentsOfDirectory(atPath: Self.manifests.appendingPathComponent("overlays").path)
            .filter {
                FileManager.default.fileExists(atPath: Self.manifests.appendingPathComponent("overlays/\($0)/kustomization.yaml").path)
            }
            .sorted()
        #expect(overlays.contains("dev") && overlays.contains("production"))
        let (status, output) = try Self.run(
            "python3", ["-c", Self.promises, "base"] + overlays.map { "overlays/\($0)" }, in: Self.manifests)
        if status == 3 { throw TestSetupError(output) }
        #expect(status == 0, "\(output)")
    }

    /// Renders each kustomization given (relative to Deploy/k8s) and prints every broken
    /// promise, one a line; exits 1 if there is any.
    static let promises = #"""
        import subprocess, sys
        try:
            import yaml
        except ImportError:
            print("PyYAML is missing: apt-get install python3-yaml (or pip install pyyaml)")
            sys.exit(3)

        def matches(selector, labels):
            if not all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()):
                return False
            for e in selector.get("matchExpressions", []):
                present = e["key"] in labels
                if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]: return False
                if e["operator"] == "NotIn" and labels.get(e["key"]) in e["values"]: return False
                if e["operator"] == "Exists" and not present: return False
                if e["operator"] == "DoesNotExist" and present: return False
            return True

        def opens(policy, port):
            return [rule for rule in policy["spec"].get("ingress", [])
                    if any(p.get("port") == port for p in rule.get("ports", []))]

        problems = []
        for target in sys.argv[1:]:
            say = lambda message: problems.append(f"{target}: {message}")
            rendered = subprocess.run(["kubectl", "kustomize", target], capture_output=True, text=True)
            if rendered.returncode != 0:
                say("does not render: " + rendered.stderr.strip()); continue
            docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
            kinds = lambda kind: [d for d in docs if d["kind"] == kind]
            workloads = kinds("Deployment") + kinds("StatefulSet") + kinds("Job")
            pods = {w["metadata"]["name"]: w["spec"]["template"]["metadata"].get("labels", {}) for w in workloads}
            for secret in kinds("Secret"):
                say(f"renders Secret {secret['metadata']['name']}: secrets are made by secrets.sh, never kept in git")
            for w in workloads:
                name, pod = w["metadata"]["name"], w["spec"]["template"]["spec"]
                context = pod.get("securityContext", {})
                if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
                    say(f"{name}: no RuntimeDefault seccomp profile")
                for c in pod.get("initContainers", []) + pod["containers"]:
                    own = c.get("securityContext", {})
                    if own.get("runAsNonRoot", context.get("runAsNonRoot")) is not True: say(f"{name}/{c['name']}: may run as root")
                    if own.get("readOnlyRootFilesystem") is not True: say(f"{name}/{c['name']}: writable root filesystem")
                    if own.get("allowPrivilegeEscalation") is not False: say(f"{name}/{c['name']}: privilege escalation allowed")
                    if "ALL" not in own.get("capabilities", {}).get("drop", []): say(f"{name}/{c['name']}: keeps capabilities")
                    resources = c.get("resources", {})
                    if not resources.get("requests") or not resources.get("limits"): say(f"{name}/{c['name']}: no resource requests and limits")
                    if w["kind"] == "Deployment":
                        # The bus is ready when it serves; a service when its database answers (traffic readiness).
                        ready = "/readyz" if name == "shouwang-bus" else "/readyz?for=traffic"
                        for probe, path in [("startupProbe", "/healthz"), ("readinessProbe", ready), ("livenessProbe", "/healthz")]:
                            if c.get(probe, {}).get("httpGet", {}).get("path") != path: say(f"{name}/{c['name']}: no {probe} on {path}")
            if not any(h["apiVersion"] == "autoscaling/v2" and h["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "shouwang-intake"}
                       and any(m.get("resource", {}).get("name") == "cpu" for m in h["spec"]["metrics"]) for h in kinds("HorizontalPodAutoscaler")):
                say("no autoscaling/v2 HorizontalPodAutoscaler on intake's CPU")
            for service in ["intake", "matching", "supplies", "outreach"]:
                if not any(matches(b["spec"]["selector"], pods[f"shouwang-{service}"]) for b in kinds("PodDisruptionBudget")):
                    say(f"shouwang-{service}: no PodDisruptionBudget")
            policies = kinds("NetworkPolicy")
            if not any(p["spec"]["podSelector"] == {} and p["spec"]["policyTypes"] == ["Ingress"] and not p["spec"].get("ingress") for p in policies):
                say("no default-deny ingress NetworkPolicy")
            relays = sorted(name for name, labels in pods.items() if labels.get("shouwang/relay") == "true")
            if relays != ["shouwang-intake", "shouwang-matching", "shouwang-outreach", "shouwang-supplies"]:
                say(f"the pods labelled as relays are {relays}, not the four services")
            guarded = False
            for p in policies:
                if not matches(p["spec"]["podSelector"], pods["shouwang-bus"]): continue
                for rule in opens(p, 5550):
                    guarded = True
                    if any(peer != {"podSelector": {"matchLabels": {"shouwang/relay": "true"}}} for peer in rule.get("from", [{}])):
                        say(f"NetworkPolicy {p['metadata']['name']} opens the bus's publish port to more than relays")
            if not guarded: say("no NetworkPolicy opens the bus's publish port 5550 to relays")
            clients = sorted(name for name, labels in pods.items() if labels.get("shouwang/database-client") == "true")
            if clients != ["shouwang-bus", "shouwang-console", "shouwang-intake", "shouwang-matching", "shouwang-migrate", "shouwang-outreach", "shouwang-supplies"]:
                say(f"the pods labelled as database clients are {clients}")
            if not any(p["spec"]["podSelector"] == {"matchLabels": {"shouwang/database": "true"}}
                       and [r.get("from") for r in opens(p, 5432)] == [[{"podSelector": {"matchLabels": {"shouwang/database-client": "true"}}}]] for p in policies):
                say("no NetworkPolicy limits PostgreSQL to Shouwang's database clients")
        print("\n".join(problems))
        sys.exit(1 if problems else 0)
        """#
}
