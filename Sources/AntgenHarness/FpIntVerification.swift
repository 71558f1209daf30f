import AntgenDSL
import AntgenHardware
import AntgenNumerics
import Foundation

/// Named defects of the FP-on-INT array that verification must catch (docs/fp-on-int.md).
public enum FpIntMutant: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The auxiliary shifter dropped: window-1 sums enter A without their 2^S.
    case auxiliaryShiftDropped = "fpint-aux-shift-dropped"
    /// The local shifter's capacity one short: every `d ≤ S` test becomes `d < S`.
    case shiftCapacity = "fpint-shift-capacity"
    /// The max-exponent unit's comparators reversed (it picks a smaller exponent).
    case wrongMaxExponent = "fpint-wrong-max-exponent"
    /// The sequencer steps k by 2: passes (j, 1), (j, 3), … are skipped.
    case passSkipped = "fpint-pass-skipped"

    public var description: String { rawValue }

    /// The IR mutations of this defect in `design`.
    /// - Throws: ``HarnessError`` when the design has no site for it.
    public func mutations(in design: Design) throws -> [Mutation] {
        let found: [Mutation]
        switch self {
        case .shiftCapacity:
            found = design.sites(tagged: FpIntProcessingElementSite.localCapacity).map { Mutation(site: $0, operator: .swapBinary(.lessOrEqual, .lessThan)) }
        case .auxiliaryShiftDropped:
            found = design.sites(tagged: FpIntProcessingElementSite.auxiliaryShift).map { Mutation(site: $0, operator: .forceSelect(true)) }
        case .wrongMaxExponent:
            found = design.sites(tagged: FpIntProcessingElementSite.maxCompare).map { Mutation(site: $0, operator: .swapBinary(.greaterThan, .lessThan)) }
        case .passSkipped:
            found = design.sites(tagged: FpIntArraySite.passAdvance).map { Mutation(site: $0, operator: .resultPlusOne) }
        }
        guard !found.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name)") }
        return found
    }
}

extension FpIntMutant: SiteDefect {}

/// One golden tile: C = A · W in one format, every output from the Swift reference.
public struct FpIntTile: Sendable, Equatable {
    /// The operands' format.
    public let format: FpIntPrecision
    /// Row i's K codes (activations) and column j's K codes (weights).
    public let a: [[Int]], w: [[Int]]
    /// The reduction length K.
    public var k: Int { a.first?.count ?? 0 }

    public init(format: FpIntPrecision, a: [[Int]], w: [[Int]]) {
        self.format = format
        self.a = a
        self.w = w
    }

    /// C[i][j] as the array outputs it: binary32 bits (NaN 0x7FC00000) or the integer sum mod 2^32.
    /// - Throws: ``FpIntError`` for a code the format does not have.
    public func expected(row i: Int, col j: Int, unit: FpIntUnit) throws(FpIntError) -> UInt32 {
        if let float = format.float {
            let value = try FpIntDotProduct.dot(a: a[i], b: w[j], format: float, unit: unit)
            return value.isNaN ? 0x7FC0_0000 : value.bitPattern
        }
        let decoded = { (codes: [Int]) in codes.map { ($0 << (Int.bitWidth - format.bits)) >> (Int.bitWidth - format.bits) } }
        return UInt32(truncatingIfNeeded: try FpIntIntegerDot.dot(a: decoded(a[i]), b: decoded(w[j]), format: format.integer!, unit: unit))
    }

    /// The passes the array's sequencer issues for each beat (group of N lanes) of this tile
    /// on `unit`: the format's ``FpIntPrecision/passesPerWindow``, twice that when some PE of
    /// the tile has a lane of that group in the second window (S < d ≤ 2S, e_max over the
    /// group's finite lanes at that PE), as the reference places it (``FpIntDotProduct/group(a:b:format:unit:)``).
    /// Integers never need window 2.
    /// - Throws: ``FpIntError`` for a code the format does not have.
    public func beatPasses(unit: FpIntUnit) throws(FpIntError) -> [Int] {
        let p = format.passesPerWindow, n = unit.lanes
        let groups = (k + n - 1) / n
        guard let float = format.float else { return [Int](repeating: p, count: groups) }
        var passes: [Int] = []
        for g in 0 ..< groups {
            let range = g * n ..< min(k, (g + 1) * n)
            var second = false
            search: for row in a {
                for col in w {
                    let trace = try FpIntDotProduct.group(a: Array(row[range]), b: Array(col[range]), format: float, unit: unit)
                    if trace.lanes.contains(where: { $0.placement == .second }) { second = true; break search }
                }
            }
            passes.append(second ? 2 * p : p)
        }
        return passes
    }

    /// Beat g's lane codes for row word `codes` (idle lanes: `pad`).
    static func lanes(_ codes: [Int], group g: Int, lanes n: Int, pad: Int) -> [UInt64] {
        (0 ..< n).map { l in UInt64(g * n + l < codes.count ? codes[g * n + l] : pad) }
    }
}

/// Random golden tiles that reach the unit's corners: exponent spreads around S and 2S,
/// subnormals, signed zeros, ±Inf, NaN, overflow; integers over their full range.
public struct FpIntCaseGenerator: Sendable {
    public let parameters: FpIntArrayParameters

    public init(_ parameters: FpIntArrayParameters) { self.parameters = parameters }

    /// `count` tiles, dealt round-robin over the carried formats.
    public func tiles(count: Int, seed: UInt64) -> [FpIntTile] {
        var rng = SplitMix64(seed: seed)
        let p = parameters
        return (0 ..< count).map { t in
            let format = p.formats[t % p.formats.count]
            let k = Int.random(in: 1 ... 3 * p.lanes, using: &rng)
            let mode = Int.random(in: 0 ..< 4, using: &rng)
            let spread = Int.random(in: 0 ... p.shiftCapacity + 2, using: &rng)
            let centre = Int.random(in: 0 ..< 1 << (format.float?.exponentBits ?? 1), using: &rng)
            func word() -> [Int] { (0 ..< k).map { _ in code(format, mode: mode, centre: centre, spread: spread, k: k, &rng) } }
            return FpIntTile(format: format, a: (0 ..< p.rows).map { _ in word() }, w: (0 ..< p.cols).map { _ in word() })
        }
    }

    /// One code: mode 0 uniform (no specials), 1 clustered exponents, 2 clustered with
    /// specials, 3 zeros of random sign with a few finite values.
    private func code(_ precision: FpIntPrecision, mode: Int, centre: Int, spread: Int, k: Int, _ rng: inout SplitMix64) -> Int {
        guard let f = precision.float else {
            let range = precision.integer!.range
            let v = Int.random(in: 0 ..< 8, using: &rng) == 0 ? [range.lowerBound, range.upperBound].randomElement(using: &rng)! : Int.random(in: range, using: &rng)
            return v & ((1 << precision.bits) - 1)
        }
        let signBit = Int.random(in: 0 ... 1, using: &rng) << (f.bits - 1)
        let top = (1 << f.exponentBits) - 1
        let fraction = Int.random(in: 0 ..< 1 << f.fractionBits, using: &rng)
        let nan = (top << f.fractionBits) | (f.hasInfinity ? 1 : (1 << f.fractionBits) - 1)
        if mode == 2, Int.random(in: 0 ..< 3 * k, using: &rng) == 0 {
            let inf = f.hasInfinity ? top << f.fractionBits : nan
            return [signBit, signBit | inf, nan, signBit | 1, signBit | ((1 << f.fractionBits) - 1)].randomElement(using: &rng)!
        }
        if mode == 3, Int.random(in: 0 ..< 4, using: &rng) != 0 { return signBit }
        var field = mode == 0 ? Int.random(in: 0 ... top, using: &rng) : centre + Int.random(in: -spread ... spread, using: &rng)
        field = min(max(field, 0), f.hasInfinity ? top - 1 : top)
        var frac = fraction
        if !f.hasInfinity, field == top, frac == (1 << f.fractionBits) - 1 { frac -= 1 }
        return signBit | field << f.fractionBits | frac
    }
}

/// Verifies an FP-on-INT array: golden tiles from ``FpIntCaseGenerator`` (every output from
/// ``FpIntDotProduct`` / ``FpIntIntegerDot``), replayed by a ``ReplayTestbench`` on Verilator
/// and/or Icarus, every output row compared bit for bit.
public struct FpIntVerification: Sendable {
    public let parameters: FpIntArrayParameters
    public let tiles: [FpIntTile]
    public let mutant: (any DesignDefect)?

    /// `cases` generated tiles.
    public init(parameters: FpIntArrayParameters, cases: Int, seed: UInt64, mutant: (any DesignDefect)? = nil) {
        self.init(parameters: parameters, tiles: FpIntCaseGenerator(parameters).tiles(count: max(cases, 1), seed: seed), mutant: mutant)
    }

    /// Given tiles.
    public init(parameters: FpIntArrayParameters, tiles: [FpIntTile], mutant: (any DesignDefect)? = nil) {
        self.parameters = parameters
        self.tiles = tiles
        self.mutant = mutant
    }

    /// Runs every simulator in a fresh folder under `directory`.
    /// - Throws: ``HarnessError``, ``FpIntError`` or a tool error.
    /// `runtimeCache`: a build cache whose shared Verilator run-time objects the builds use.
    public func run(on simulators: [SimulatorKind], in directory: URL, tools: SimulatorTools = .standard,
                    runtimeCache: URL? = nil) throws -> [ReplayRunResult] {
        var design = try elaborate(FpIntArray(parameters))
        if let mutant { design = try mutant.apply(to: design) }
        return try testbench(for: design.top).run(design, on: simulators, in: directory, tools: tools, runtimeCache: runtimeCache)
    }

    /// The bench of `top` holding every tile's beats and expected rows.
    func testbench(for top: HardwareModule) throws -> ReplayTestbench {
        let p = parameters
        let ports = try top.typedPorts(FpIntArray.Ports.self)
        let aNames = ports.aCode.signalNames, wNames = ports.wCode.signalNames
        let inLast = ports.inLast.name, format = ports.cfgFormat.name
        var bench = ReplayTestbench(top: top, handshake: ReplayHandshake(beat: ports.beat, out: ports.out, psum: nil), tag: "FPINT",
                                    beatFields: aNames + wNames + [inLast, format], observed: ports.outData.signalNames, tileRows: p.rows)
        bench.cyclesPerBeat = 4 * (p.formats.map(\.passesPerWindow).max() ?? 1) + p.rows + 4
        let unit = p.unit
        for tile in tiles {
            let groups = (tile.k + p.lanes - 1) / p.lanes
            let float = tile.format.float != nil
            for g in 0 ..< groups {
                var values: [String: [UInt64]] = [inLast: [g == groups - 1 ? 1 : 0], format: [UInt64(tile.format.code)]]
                for (name, codes) in zip(aNames, tile.a) { values[name] = FpIntTile.lanes(codes, group: g, lanes: p.lanes, pad: 0) }
                let negativeZero = float ? 1 << (tile.format.bits - 1) : 0
                for (name, codes) in zip(wNames, tile.w) { values[name] = FpIntTile.lanes(codes, group: g, lanes: p.lanes, pad: negativeZero) }
                bench.beatLines.append(bench.line(bench.beatFields, values))
            }
            for i in (0 ..< p.rows).reversed() {
                var values: [String: [UInt64]] = [:]
                for (j, name) in bench.observed.enumerated() { values[name] = [UInt64(try tile.expected(row: i, col: j, unit: unit))] }
                bench.expectedLines.append(bench.line(bench.observed, values))
            }
        }
        return bench
    }
}
