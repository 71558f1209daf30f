import Foundation
import Testing

/// `antgen run` end to end on small self-made layers: float .npy and .safetensors inputs in
/// both weight layouts, the codes form written by `antgen quantize --out`, the JSON report's
/// `cycles`, and every bad input as one line with nothing written.
@Suite(.serialized) struct RunCommandTests {
    typealias CLI = CommandLineTests

    /// A little-endian float32 .npy file.
    static func npy(_ values: [Float], shape: [Int]) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)])
        data += Data(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += Data($0) } }
        return data
    }

    /// A safetensors file of F32 tensors.
    static func safetensors(_ tensors: [(String, [Int], [Float])]) -> Data {
        var entries: [String] = [], payload = Data(), offset = 0
        for (name, shape, values) in tensors {
            entries.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + values.count * 4)]}")
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload += Data($0) } }
            offset += values.count * 4
        }
        let header = Data(("{" + entries.joined(separator: ",") + "}").utf8)
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data += Data($0) }
        return data + header + payload
    }

    /// Deterministic pseudo-random floats in (−1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var s = seed
        return (0..<count).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: s >> 11) % 2000 - 1000) / 1000
        }
    }

    /// Reads a float32 .npy written by antgen (header of a multiple of 64 bytes).
    static func readNpy(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let body = data.subdata(in: (10 + headerLength)..<data.count)
        let bytes = [UInt8](body)
        return stride(from: 0, to: bytes.count, by: 4).map { (i: Int) -> Float in
            var bits: UInt32 = 0
            for b in 0..<4 { bits |= UInt32(bytes[i + b]) << UInt32(8 * b) }
            return Float(bitPattern: bits)
        }
    }

    /// Float .npy inputs in kn layout and the same weights as an N × K safetensors tensor in
    /// nk layout give the same output; the JSON has bit-exact agreement, the documented
    /// cycles (2 tiles of K = 5 on a 3 × 2 array, K ≥ R: 2·5 + 2·3 + 2) and a close float result.
    @Test func floatInputsBothLayouts() throws {
        let dir = try CLI.temporaryFolder("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = 3, k = 5, n = 4
        let a = Self.values(m * k, seed: 1), w = Self.values(k * n, seed: 2)
        try Self.npy(a, shape: [m, k]).write(to: dir.appendingPathComponent("a.npy"))
        try Self.npy(w, shape: [k, n]).write(to: dir.appendingPathComponent("w.npy"))
        let wT = (0..<(n * k)).map { w[($0 % k) * n + $0 / k] }
        try Self.safetensors([("x", [m, k], a), ("lin.weight", [n, k], wT)]).write(to: dir.appendingPathComponent("m.safetensors"))
        let common = ["--rows", "3", "--cols", "2", "--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path]
        let first = try CLI.run(["run", "--activations", "a.npy", "--weights", "w.npy", "--out", "c1.npy", "--json", "r.json"] + common, in: dir)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("bit-exact"))
        let second = try CLI.run(["run", "--activations", "m.safetensors", "--act-tensor", "x", "--weights", "m.safetensors",
                                  "--weight-tensor", "lin.weight", "--weight-layout", "nk", "--out", "c2.npy"] + common, in: dir)
        #expect(second.status == 0, "\(second.err)")
        let c1 = try Self.readNpy(dir.appendingPathComponent("c1.npy")), c2 = try Self.readNpy(dir.appendingPathComponent("c2.npy"))
        #expect(c1.count == m * n && c1 == c2)
        let report = try CLI.json(dir.appendingPathComponent("r.json"))
        #expect(report["bitExact"] as? Bool == true)
        #expect(report["cycles"] as? Int == 2 * 5 + 2 * 3 + 2)
        #expect(report["tiles"] as? Int == 2)
        // The float32 product, computed here: 4-bit quantization keeps it close.
        var diff: Float = 0, norm: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                var r: Float = 0
                for kk in 0..<k { r += a[i * k + kk] * w[kk * n + j] }
                diff += (c1[i * n + j] - r) * (c1[i * n + j] - r)
                norm += r * r
            }
        }
        #expect((diff / norm).squareRoot() < 0.3)
        #expect(abs((report["relativeError"] as? Double ?? -1) - Double((diff / norm).squareRoot())) < 1e-3)
    }

    /// `antgen quantize --out` codes and α taken as they are give exactly the output of the
    /// float route (the same quantizer, the same codes).
    @Test func codesFromQuantizeAreTakenAsTheyAre() throws {
        let dir = try CLI.temporaryFolder("runcodes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = 2, k = 4, n = 3
        try Self.npy(Self.values(m * k, seed: 5), shape: [m, k]).write(to: dir.appendingPathComponent("act.npy"))
        try Self.npy(Self.values(n * k, seed: 6), shape: [n, k]).write(to: dir.appendingPathComponent("wt.npy"))
        let cache = ["--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path, "--rows", "3", "--cols", "2", "--mode", "int"]
        let qa = try CLI.run(["quantize", "act.npy", "--role", "activation", "--mode", "int", "--out", "qa", "--json", "qa.json"], in: dir)
        let qw = try CLI.run(["quantize", "wt.npy", "--role", "weight", "--mode", "int", "--out", "qw", "--json", "qw.json"], in: dir)
        #expect(qa.status == 0 && qw.status == 0, "\(qa.err) \(qw.err)")
        let float = try CLI.run(["run", "--activations", "act.npy", "--weights", "wt.npy", "--weight-layout", "nk", "--out", "f.npy"] + cache, in: dir)
        #expect(float.status == 0, "\(float.err)")
        let format = { (file: String) throws -> String in
            let tensors = try #require(try CLI.json(dir.appendingPathComponent(file))["tensors"] as? [[String: Any]])
            return try #require(tensors.first?["chosenFormat"] as? String)
        }
        let codes = try CLI.run(["run", "--activations", "qa/act.codes.npy", "--act-format", try format("qa.json"),
                                 "--weights", "qw/wt.codes.npy", "--weight-format", try format("qw.json"), "--weight-layout", "nk",
                                 "--out", "q.npy"] + cache, in: dir)
        #expect(codes.status == 0, "\(codes.err)")
        #expect(try Self.readNpy(dir.appendingPathComponent("f.npy")) == Self.readNpy(dir.appendingPathComponent("q.npy")))
    }

    /// `--dataflow ws --sim icarus` (the cross-check on small layers): bit-exact, the same
    /// output as the OS array on Verilator, and the WS cycle formula of docs/run.md for 2 K
    /// chunks × 2 N blocks = 4 weight tiles of M = 3 on 3 × 2: 3·(3 + 6 + 2 − 2) + 3 + 6 + 2 + 2.
    @Test func weightStationaryOnIcarus() throws {
        let dir = try CLI.temporaryFolder("runwsicarus")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.npy(Self.values(3 * 5, seed: 1), shape: [3, 5]).write(to: dir.appendingPathComponent("a.npy"))
        try Self.npy(Self.values(5 * 4, seed: 2), shape: [5, 4]).write(to: dir.appendingPathComponent("w.npy"))
        let common = ["run", "--activations", "a.npy", "--weights", "w.npy", "--rows", "3", "--cols", "2",
                      "--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path]
        let os = try CLI.run(common + ["--out", "os.npy"], in: dir)
        #expect(os.status == 0, "\(os.err)")
        let ws = try CLI.run(common + ["--dataflow", "ws", "--sim", "icarus", "--out", "ws.npy", "--json", "ws.json"], in: dir)
        #expect(ws.status == 0, "\(ws.err)")
        #expect(try Self.readNpy(dir.appendingPathComponent("ws.npy")) == Self.readNpy(dir.appendingPathComponent("os.npy")))
        let report = try CLI.json(dir.appendingPathComponent("ws.json"))
        #expect(report["bitExact"] as? Bool == true && report["dataflow"] as? String == "ws" && report["simulator"] as? String == "icarus")
        #expect(report["tiles"] as? Int == 4)
        #expect(report["cycles"] as? Int == 3 * (3 + 6 + 2 - 2) + 3 + 6 + 2 + 2)
    }

    /// `--plan` from `antgen tune --hardware`: the weight tensor gets its plan entry's format.
    @Test func planPicksTheWeightFormat() throws {
        let dir = try CLI.temporaryFolder("runplan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let weights = CLI.root.appendingPathComponent("examples/sample_weights.safetensors").path
        let tune = try CLI.run(["tune", weights, "--budget", "0.05", "--hardware", "--plan", "plan.json"], in: dir)
        #expect(tune.status == 0, "\(tune.err)")
        let tensors = try #require(try CLI.json(dir.appendingPathComponent("plan.json"))["tensors"] as? [[String: Any]])
        let planned = try #require(tensors.first { $0["name"] as? String == "fc1.weight" }?["format"] as? String)
        let run = try CLI.run(["run", "--plan", "plan.json", "--activations", weights, "--act-tensor", "fc2.weight", "--weights", weights,
                               "--weight-tensor", "fc1.weight", "--rows", "3", "--cols", "2", "--out", "c.npy", "--json", "r.json",
                               "--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let report = try CLI.json(dir.appendingPathComponent("r.json"))
        #expect((report["weight"] as? [String: Any])?["format"] as? String == planned)
        #expect(report["bitExact"] as? Bool == true)
    }

    /// Shape mismatch, K too long for W (the minimum W named; --allow-wrap only warns), a
    /// non-finite value, a missing tensor name: one line each, status 1, no output file.
    @Test func badInputsAreOneLineAndWriteNothing() throws {
        let dir = try CLI.temporaryFolder("runbad")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.npy(Self.values(6, seed: 1), shape: [2, 3]).write(to: dir.appendingPathComponent("a.npy"))
        try Self.npy(Self.values(8, seed: 2), shape: [4, 2]).write(to: dir.appendingPathComponent("w.npy"))
        var nan = Self.values(6, seed: 3)
        nan[4] = .nan
        try Self.npy(nan, shape: [2, 3]).write(to: dir.appendingPathComponent("nan.npy"))
        try Self.npy(Self.values(2 * 300, seed: 4), shape: [2, 300]).write(to: dir.appendingPathComponent("along.npy"))
        try Self.npy(Self.values(300 * 2, seed: 5), shape: [300, 2]).write(to: dir.appendingPathComponent("wlong.npy"))
        try Self.safetensors([("x", [2, 3], Self.values(6, seed: 6))]).write(to: dir.appendingPathComponent("m.safetensors"))
        let base = ["run", "--rows", "3", "--cols", "2", "--out", "c.npy", "--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path]
        let cases: [([String], String)] = [
            (["--activations", "a.npy", "--weights", "w.npy"], "shape mismatch: activations are 2 × 3 (K = 3) but the weights (kn layout) are 4 × 2 (K = 4)"),
            (["--activations", "along.npy", "--weights", "wlong.npy", "--types", "int", "--acc-width", "12"], "needs W ≥ 16 bits, this build has W = 12: use --acc-width 16"),
            (["--activations", "nan.npy", "--weights", "w.npy"], "non-finite value"),
            (["--activations", "m.safetensors", "--act-tensor", "y", "--weights", "w.npy"], "no tensor named 'y'"),
            (["--activations", "a.npy", "--weights", "w.npy", "--weight-format", "int4s"],
             "--weight-format int4s: w.npy holds float values, which antgen quantizes itself"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(base + arguments, in: dir)
            #expect(r.status == 1, "\(arguments)")
            let lines = r.err.split(separator: "\n").filter { !$0.hasPrefix("run:") }
            #expect(lines.count == 1 && lines[0].contains(message), "\(arguments): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.npy").path))
        }
        let wrap = try CLI.run(base + ["--activations", "along.npy", "--weights", "wlong.npy", "--types", "int", "--acc-width", "12", "--allow-wrap"], in: dir)
        #expect(wrap.status == 0, "\(wrap.err)")
        #expect(wrap.err.contains("antgen: warning: K = 300") && wrap.out.contains("bit-exact"))
    }
}
