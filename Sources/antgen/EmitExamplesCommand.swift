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
        let backend = VerilogBackend()
        var files: [OutputFile] = []
        var written: Set<String> = []
        var designs: [DesignListing.Design] = []
        var lines: [String] = []
        for example in Examples.all {
            let design = try elaborate(example)
            let modules = backend.files(for: design)
            // Examples may share a module; its file is written once.
            for file in modules where written.insert(file.name).inserted {
                files.append(OutputFile(name: file.name, contents: Data(file.contents.utf8)))
            }
            files.append(OutputFile(name: "\(design.top.name).f", contents: Data(backend.fileList(for: design).utf8)))
            designs.append(DesignListing.Design(top: design.top.name, modules: design.modules.map(\.name)))
            lines.append("\(design.top.name): \(modules.count) module file(s), \(design.top.name).f")
        }
        let manifest = try DesignListing(designs: designs).examplesManifest(version: antgenVersion)
        files.append(OutputFile(name: DesignListing.manifestName, contents: manifest))
        try OutputFolder(path: output, force: force).replaceDesign(with: files)
        lines.forEach { print($0) }
        print("wrote \(output)")
    }
}
