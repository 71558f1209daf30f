import Foundation
import Testing

/// `antgen fpint-cost` (issue 27 part 4): bad options are one line and exit 1 before any
/// synthesis; the full run (Yosys, about 2 minutes at N = 16) is covered by docs/fp-on-int.md.
@Suite struct FpIntCostCommandTests {
    typealias CLI = CommandLineTests

    @Test(arguments: [
        (["--lanes", "0"], "--lanes 0 is out of range (1…64)"),
        (["--shift", "25"], "--shift 25 is out of range (1…24)"),
        (["--acc-width", "4"], "--acc-width 4 is out of range (8…64)"),
        (["--second-window-rate", "1.5"], "--second-window-rate must be between 0 and 1"),
        (["--clock-ghz", "0"], "--clock-ghz must be positive"),
    ])
    func badOptionsAreOneLine(arguments: [String], message: String) throws {
        let dir = try CLI.temporaryFolder("fpint-cost")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLI.run(["fpint-cost"] + arguments, in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains(message), "\(run.err.prefix(300))")
        #expect(run.out.isEmpty)
    }
}
