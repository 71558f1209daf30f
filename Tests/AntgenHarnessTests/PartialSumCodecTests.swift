import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The 12-bit partial-sum codec (spec §7.7): the Swift reference against a brute-force
/// nearest-value search, and the DSL encoder/decoder bit-exact with it on Icarus and Verilator.
@Suite(.serialized) struct PartialSumCodecTests {
    /// Every representable magnitude with its code fields, ascending.
    static let representable: [(value: Int, exponent: Int, fraction: Int)] = {
        var list: [(value: Int, exponent: Int, fraction: Int)] = (0 ..< 64).map { (value: $0, exponent: 0, fraction: $0) }
        for e in 1 ... 31 { for f in 0 ..< 64 { list.append((value: (64 + f) << (e - 1), exponent: e, fraction: f)) } }
        return list
    }()

    @Test func encodeIsNearestTiesToEvenOnSixteenBitSums() throws {
        let codec = try PartialSumCodec(sumWidth: 16)
        // Every sum below 1024 in magnitude (every exponent step and tie up to e = 5), then every
        // 7th sum (ties of larger exponents included); the circuits below are checked on all 2^16.
        let sums = Array(-1024 ... 1024) + Array(stride(from: -32768, through: 32767, by: 7)) + [32767, 32766, -32767]
        for sum in sums {
            let magnitude = abs(sum)
            // Brute force: the nearest representable magnitude; on a tie the even fraction.
            let best = Self.representable.min { a, b in
                let da = abs(a.value - magnitude), db = abs(b.value - magnitude)
                return da != db ? da < db : (a.fraction % 2 == 0 && b.fraction % 2 == 1)
            }!
            let code = codec.encode(sum)
            #expect(Int(code >> 6) & 31 == best.exponent && Int(code) & 63 == best.fraction && Int(code >> 11) == (sum < 0 ? 1 : 0),
                    "sum \(sum)")
            let error = abs(codec.decode(code) - sum)
            #expect(error <= PartialSumCodec.errorBound(magnitude: magnitude) + (sum == 32767 ? 1 : 0))
            if magnitude <= 127 { #expect(error == 0) }
        }
        #expect(codec.decode(codec.encode(32767)) == 32767)  // 32768 after rounding saturates
        #expect(throws: PartialSumCodecError.self) { try PartialSumCodec(sumWidth: 38) }
    }

    private func simulate(sumWidth w: Int, sums: [Int], simulator: String) throws -> (codes: [Int], decoded: [Int]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-psum-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let encoder = try elaborate(PartialSumEncoder(sumWidth: w)), decoder = try elaborate(PartialSumDecoder(sumWidth: w))
        try VerilogBackend().write(encoder, to: dir)
        try VerilogBackend().write(decoder, to: dir)
        let mask = (1 << w) - 1
        try sums.map { String($0 & mask, radix: 16) }.joined(separator: "\n").appending("\n")
            .write(to: dir.appendingPathComponent("sums.hex"), atomically: true, encoding: .utf8)
        let bench = """
        `timescale 1ns/1ps
        module codec_tb;
          reg [\(w - 1):0] sums [0:\(sums.count - 1)];
          reg signed [\(w - 1):0] sum;
          reg [11:0] code_in;
          wire [11:0] code;
          wire signed [\(w - 1):0] decoded;
          integer i;
          \(encoder.top.name) enc (.sum(sum), .code(code));
          \(decoder.top.name) dec (.code(code_in), .sum(decoded));
          initial begin
            $readmemh("sums.hex", sums);
            for (i = 0; i < \(sums.count); i = i + 1) begin sum = sums[i]; #1 $display("E %0d", code); end
            for (i = 0; i < 4096; i = i + 1) begin code_in = i; #1 $display("D %0d", decoded); end
            $finish;
          end
        endmodule
        """
        try bench.write(to: dir.appendingPathComponent("codec_tb.v"), atomically: true, encoding: .utf8)
        let sources = try [encoder, decoder].flatMap { design in
            try String(contentsOf: dir.appendingPathComponent("\(design.top.name).f"), encoding: .utf8).split(separator: "\n").map(String.init)
        } + ["codec_tb.v"]
        let output: String
        if simulator == "icarus" {
            let build = try ExternalTool.iverilog.run(["-g2005", "-o", "sim.vvp", "-s", "codec_tb"] + Array(Set(sources)).sorted(), in: dir)
            try #require(build.status == 0, "\(build.output)")
            output = try ExternalTool.vvp.run(["-n", "sim.vvp"], in: dir).output
        } else {
            let build = try ExternalTool.verilator.run(["--binary", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", "codec_tb",
                                                        "-Mdir", "obj_dir", "-o", "sim"] + Array(Set(sources)).sorted(), in: dir)
            try #require(build.status == 0, "\(build.output.suffix(2000))")
            output = try ExternalTool.run(program: dir.appendingPathComponent("obj_dir/sim"), [], in: dir).output
        }
        let lines = output.split(separator: "\n")
        return (lines.filter { $0.hasPrefix("E ") }.compactMap { Int($0.dropFirst(2)) },
                lines.filter { $0.hasPrefix("D ") }.compactMap { Int($0.dropFirst(2)) })
    }

    @Test(arguments: [(16, "icarus"), (32, "verilator"), (24, "icarus")])
    func circuitsAreBitExactWithTheSwiftCodec(width: Int, simulator: String) throws {
        let codec = try PartialSumCodec(sumWidth: width)
        var rng = SplitMix64(seed: UInt64(width))
        let limit = 1 << (width - 1)
        var sums = width == 16 ? Array(-limit ..< limit) : (0 ..< 20_000).map { _ in Int.random(in: -limit ..< limit, using: &rng) >> Int.random(in: 0 ..< width, using: &rng) }
        sums += [-limit, limit - 1, 0, 63, 64, 127, 128, 129, 191, 192, 193]
        let (codes, decoded) = try simulate(sumWidth: width, sums: sums, simulator: simulator)
        #expect(codes == sums.map { Int(codec.encode($0)) })
        #expect(decoded == (0 ..< 4096).map { codec.decode(UInt16($0)) })
    }
}
