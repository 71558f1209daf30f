import AntgenDSL
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// The FP-on-INT array's RTL against the Swift reference (FpIntDotProduct, FpIntIntegerDot)
/// on both simulators, small arrays only.
@Suite struct FpIntArrayTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-fpint-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: [(2, 2, 2, 4), (2, 2, 3, 8), (1, 3, 4, 3)])
    func bitExactOnBothSimulators(rows: Int, cols: Int, lanes: Int, s: Int) throws {
        let p = FpIntArrayParameters(rows: rows, cols: cols, lanes: lanes, shiftCapacity: s)
        #expect(p.problem() == nil)
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let results = try FpIntVerification(parameters: p, cases: 96, seed: 27).run(on: [.verilator, .icarus], in: dir)
        for r in results {
            #expect(r.passed, "\(r.simulator): \(r.mismatches) mismatches \(r.problems.prefix(3))")
            #expect(r.rows == 96 * rows)
        }
    }
}
