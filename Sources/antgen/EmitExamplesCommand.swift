import AntgenDSL
import AntgenExamples
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen emit-examples`: writes the DSL example circuits as Verilog.
struct EmitExamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-examples",
        abstract: "Write the example circuits (counter, adder tree, leading-one detector, shift register) as Verilog.")

    @Option(name: [.short, .customLong("output")], help: "Output directory.")
    var output: String = "rtl-out/examples"

    func run() throws {
        let backend = VerilogBackend()
        let directory = URL(fileURLWithPath: output)
        for example in Examples.all {
            let design = try elaborate(example)
            let written = try backend.write(design, to: directory)
            print("\(design.top.name): \(written.count - 1) module file(s), \(design.top.name).f")
        }
        print("wrote \(directory.path)")
    }
}
