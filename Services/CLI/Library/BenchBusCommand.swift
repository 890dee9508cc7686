import ArgumentParser
struct BenchBusCommand: AsyncParsableCommand { static let configuration = CommandConfiguration(commandName: "bus"); func run() async throws {} }
