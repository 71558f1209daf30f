import AntgenDSL
import AntgenExamples
import AntgenSupport
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen emit-examples`: writes the DSL example circuits as Verilog.
struct EmitExamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-examples",
        abstract: "Write the example circuits (counter, adder tree, leading-one detector, shift register) as Verilog.",
        discussion: """
        The folder gets one <module>.v per module, one <top>.f per example and a manifest.json \
        listing them; it is replaced as a unit, like `antgen emit` (see `antgen emit --help`).
        """)

    @Option(name: [.short, .customLong("output")], help: "Output folder.")
    var output: String = "rtl-out/examples"

    @Flag(help: "Write into a folder that also holds files no antgen manifest lists (they are kept).")
    var force = false

    func run() throws {
        try reportingErrors(emitExamples)
    }

    private func emitExamples() throws {
        var files: [OutputFile] = []
        var designs: [DesignListing.Design] = []
        for example in Examples.all {
            let design = try elaborate(example)
            // Examples may share a module; its file is written once.
            let new = VerilogBackend().designFiles(for: design).filter { file in !files.contains { $0.name == file.name } }
            files += new
            designs.append(DesignListing.Design(top: design.top.name, modules: design.modules.map(\.name)))
        }
        let listing = DesignListing(designs: designs)
        files.append(OutputFile(name: DesignListing.manifestName, contents: try listing.examplesManifest(version: antgenVersion)))
        try OutputFolder(path: output, force: force).replaceDesign(with: files)
        for design in designs { print("\(design.top): \(design.modules.count) module file(s), \(design.top).f") }
        print("wrote \(output)")
    }
}
