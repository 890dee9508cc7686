import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One of the project's executables started by a test, with its output captured in files
/// (never pipes, which block a chatty child). Killed when dropped, so no test leaves
/// processes behind.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is only touched from the test that owns this value.
    private let process = Process()
    public let name: String
    private let outputURL: URL
    private let errorURL: URL

    /// Where the project's executables were built: `SHOUWANG_BIN_DIR` (set by
    /// Deploy/local/test.sh), else the folder of the running test bundle.
    public static var binaryDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["SHOUWANG_BIN_DIR"] {
            return URL(fileURLWithPath: directory)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Starts `executable` (e.g. `shouwang-bus`) with `arguments`, adding `environment` to ours.
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        name = executable
        let binary = Self.binaryDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestSetupError("\(binary.path) is not built: run Deploy/local/test.sh (it builds every product first)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shouwang-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        outputURL = folder.appendingPathComponent("stdout")
        errorURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Everything written to standard output so far.
    public var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    /// Everything written to standard error so far.
    public var errorOutput: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    /// Asks the process to stop gracefully (SIGTERM).
    public func terminate() { if process.isRunning { Glibc.kill(process.processIdentifier, SIGTERM) } }

    /// Kills the process outright (SIGKILL), as a crash or the OOM killer would.
    public func kill() { if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) } }

    /// Waits up to `timeout` for the process to end; returns its exit status, or `nil`.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let ended = await eventually(timeout: timeout, every: .milliseconds(20)) { !process.isRunning }
        return ended ? process.terminationStatus : nil
    }
}
