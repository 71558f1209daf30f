import AntgenArrays
import ArgumentParser
import Foundation

/// `antgen arrays`: every registered array, its options, dataflows, defects and commands.
struct ArraysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrays",
        abstract: "List the hardware arrays (--array NAME): their options, dataflows, named defects and the commands that take them.")

    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let entries = VariantRegistry.all.map(ArrayListing.init)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        for (index, e) in entries.enumerated() {
            if index > 0 { print("") }
            print("--array \(e.name)\(index == 0 ? " (default)" : "")")
            print("  \(e.summary)")
            print("  dataflows: \(e.dataflows.joined(separator: ", "))")
            print("  options:   \(e.options.joined(separator: " "))")
            for (option, users) in e.layerOptions.sorted(by: { $0.key < $1.key }) {
                print("  \(option) is for \(users.joined(separator: ", ")) only")
            }
            print("  defects:   \(e.defects.joined(separator: ", "))")
            print("  commands:  \(e.commands.joined(separator: ", "))")
            for (dataflow, stream) in e.streams.sorted(by: { $0.key < $1.key }) {
                print((e.streams.count > 1 ? "  stream (\(dataflow)): " : "  stream:    ") + stream.summary)
            }
            print("  spec:      \(e.specification)")
        }
    }
}

/// One array as `antgen arrays` lists it.
struct ArrayListing: Encodable {
    let name: String, summary: String, specification: String
    let dataflows: [String], options: [String], defects: [String], commands: [String]
    /// Options only some commands take, each with those commands (``ArrayVariant/layerOptions``).
    let layerOptions: [String: [String]]
    /// The stream protocol of each dataflow's build (of the small configuration: the
    /// handshake, port groups and drain order do not depend on the size).
    let streams: [String: StreamProtocol]

    init(_ type: any ArrayVariant.Type) {
        name = type.name
        summary = type.summary
        specification = type.specification
        dataflows = type.dataflows.map(\.rawValue)
        let shared = ["--rows", "--cols", "--acc-width", "--int8/--no-int8", "--max-k", "--code-width", "--types", "--act-types",
                      "--weight-types", "--psum-preload", "--psum-codec"].filter(type.sharedOptions.contains)
        options = shared + type.ownOptions + (type.dataflows.count > 1 ? ["--dataflow"] : [])
        defects = type.defectNames
        commands = ["emit", "lint", "verify", "synth", "run", "perf"]
        layerOptions = type.layerOptions
        var streams: [String: StreamProtocol] = [:]
        for dataflow in type.dataflows { streams[dataflow.rawValue] = try? type.small(dataflow: dataflow).streamProtocol }
        self.streams = streams
    }
}
