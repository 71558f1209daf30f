import Foundation

/// One headline statement of `antgen compare`, with the figures it rests on.
public struct ComparisonHeadline: Sendable, Equatable, Codable {
    /// What is compared (`ant vs int`, `pwlq vs uniform int4`, `weight size`).
    public var topic: String
    /// The mean-cosine floor both sides meet (nil for the size and 4-bit statements).
    public var floor: Double?
    /// The baseline's and the candidate's entry (cheapest meeting the floor by cycles).
    public var baseline: String?, candidate: String?
    /// Baseline ÷ candidate of the cheapest entries' cycles and energy (> 1: candidate cheaper).
    public var cyclesRatio: Double?, energyRatio: Double?
    /// The sentence printed and written to the markdown.
    public var text: String
}

/// Every row of one comparison and the headline statements drawn from them.
public struct ModelComparisonResult: Sendable, Equatable, Codable {
    /// Sentences in the corpus.
    public var sentences: Int
    /// PE rows and columns of every array.
    public var rows: Int, cols: Int
    /// True when energies include the synthesized PE and array cells and areas are given.
    public var synthesized: Bool
    /// One row per entry, in order.
    public var entries: [ComparisonRow]
    /// `RxC` when the arrays were synthesized at that smaller size and their cells scaled per PE
    /// (compare `--synth-rows/--synth-cols`); nil: synthesized at `rows`×`cols` (or not at all).
    public var synthesizedAt: String? = nil
    /// The mean-cosine floors of the ratio headlines.
    public static let floors = [0.99, 0.98, 0.95, 0.93, 0.90, 0.85]

    /// The headline statements.
    public var headlines: [ComparisonHeadline] {
        var lines: [ComparisonHeadline] = []
        for floor in Self.floors {
            lines.append(ratio("ant vs int-only mixed precision", baseline: "int", candidate: "ant", floor: floor))
            lines.append(ratio("mx vs ant", baseline: "ant", candidate: "mx", floor: floor))
        }
        lines += tunedPairs()
        lines.append(ComparisonHeadline(topic: "sdp vs drq", text: "SDP vs DRQ: not expressible: no DRQ (region-based int4/int8 activations) "
            + "array exists in antgen; the int-only a8w4 row is the nearest fixed-precision baseline."))
        lines.append(fourBit())
        for loss in [0.01, 0.07] { lines.append(size(maxLoss: loss)) }
        return lines
    }

    /// The successful rows of `family` meeting `floor`.
    func meeting(_ family: String, _ floor: Double) -> [ComparisonRow] {
        entries.filter { $0.entry.family == family && $0.cycles != nil && ($0.fidelity?.meanCosine ?? 0) >= floor }
    }

    func ratio(_ topic: String, baseline: String, candidate: String, floor: Double) -> ComparisonHeadline {
        let b = meeting(baseline, floor), c = meeting(candidate, floor)
        let floorText = String(format: "cosine ≥ %.2f", floor)
        guard let bc = b.min(by: { $0.cycles! < $1.cycles! }), let cc = c.min(by: { $0.cycles! < $1.cycles! }),
              let be = b.compactMap(\.energyPJ).min(), let ce = c.compactMap(\.energyPJ).min() else {
            let missing = [(baseline, b), (candidate, c)].filter { $0.1.isEmpty }.map(\.0).joined(separator: " and ")
            return ComparisonHeadline(topic: topic, floor: floor, text: "\(topic) at \(floorText): no \(missing) entry meets the floor.")
        }
        let cycles = Double(bc.cycles!) / Double(cc.cycles!), energy = be / ce
        let text = "\(topic) at \(floorText): cycles \(String(format: "%.2f", cycles))× (\(bc.entry.name) \(bc.cycles!) ÷ "
            + "\(cc.entry.name) \(cc.cycles!)), energy \(String(format: "%.2f", energy))× (baseline ÷ candidate, cheapest of each meeting the floor; > 1: \(candidate) cheaper)."
        return ComparisonHeadline(topic: topic, floor: floor, baseline: bc.entry.name, candidate: cc.entry.name,
                                  cyclesRatio: cycles, energyRatio: energy, text: text)
    }

    /// What the ANT paper's figure is, and what differs here.
    static let paperNote = "paper (ANT, MICRO'22): 2.8× speed-up / 2.5× energy over BitFusion (geometric mean 2.84× / 2.48×), "
        + "CNNs, ViT and BERT on GLUE at equal task accuracy, same 32×32 array, 8/4-bit PEs; here: all-MiniLM-L6-v2 sentence "
        + "embeddings, a mean-cosine floor against FP32 instead of task accuracy, the baseline is antgen's ANT array restricted to "
        + "int (--types int) with the same per-layer int4/int8 search, activations per tensor per batch"

    /// ANT tuned vs int-only tuned at each floor both were tuned for (the paper's comparison).
    func tunedPairs() -> [ComparisonHeadline] {
        let topic = "ant tuned vs int-only tuned"
        return entries.filter { $0.entry.family == "ant" && $0.entry.tuned != nil }.compactMap { a in
            guard let i = entries.first(where: { $0.entry.family == "int" && $0.entry.tuned == a.entry.tuned }) else { return nil }
            let floor = a.entry.tuned ?? ""
            guard let ac = a.cycles, let ic = i.cycles, let ae = a.energyPJ, let ie = i.energyPJ else {
                let failed = [a, i].filter { $0.cycles == nil }.map { "\($0.entry.name): \($0.error ?? "no result")" }.joined(separator: "; ")
                return ComparisonHeadline(topic: topic, text: "ANT tuned vs int-only tuned at \(floor): not available (\(failed)).")
            }
            let cycles = Double(ic) / Double(ac), energy = ie / ae
            let share = { (r: ComparisonRow) in String(format: "%.0f %%", 100 * (r.eightBitMACShare ?? 0)) }
            let text = String(format: "ANT tuned vs int-only tuned at %@ (per-layer int4/int8, objective cycles): cycles %.2f×, energy %.2f× "
                + "(%@ ÷ %@; 8-bit MACs %@ int-only vs %@ ANT); %@.", floor, cycles, energy, i.entry.name, a.entry.name, share(i), share(a), Self.paperNote)
            return ComparisonHeadline(topic: topic, floor: Double(floor.split(separator: "=").last ?? ""), baseline: i.entry.name,
                                      candidate: a.entry.name, cyclesRatio: cycles, energyRatio: energy, text: text)
        }
    }

    func fourBit() -> ComparisonHeadline {
        let topic = "pwlq vs uniform int4"
        guard let p = entries.first(where: { $0.entry.name == "pwlq-a4w4" && $0.fidelity != nil }),
              let u = entries.first(where: { $0.entry.name == "int-a4w4" && $0.fidelity != nil }) else {
            return ComparisonHeadline(topic: topic, text: "PWLQ vs uniform int at 4 bits: needs both pwlq-a4w4 and int-a4w4.")
        }
        let text = String(format: "PWLQ vs uniform int at a4w4: cosine mean %.4f vs %.4f, min %.4f vs %.4f, top-1 %.3f vs %.3f",
                          p.fidelity!.meanCosine, u.fidelity!.meanCosine, p.fidelity!.minCosine, u.fidelity!.minCosine,
                          p.fidelity!.top1Agreement, u.fidelity!.top1Agreement)
        let cycles = p.cycles.flatMap { pc in u.cycles.map { Double($0) / Double(pc) } }
        let energy = p.energyPJ.flatMap { pe in u.energyPJ.map { $0 / pe } }
        return ComparisonHeadline(topic: topic, baseline: u.entry.name, candidate: p.entry.name, cyclesRatio: cycles, energyRatio: energy,
                                  text: text + (cycles.map { String(format: "; uniform/PWLQ cycles %.2f×", $0) } ?? "") + ".")
    }

    func size(maxLoss: Double) -> ComparisonHeadline {
        let topic = "weight size"
        let fp32 = entries.first { $0.entry.family == "fp32" }?.weightBits
        let fits = entries.filter { $0.entry.family != "fp32" && $0.weightBits != nil && ($0.loss ?? 1) <= maxLoss }
        let pct = String(format: "%.0f %%", 100 * maxLoss)
        guard let best = fits.min(by: { $0.weightBits! < $1.weightBits! }), let fp32 else {
            return ComparisonHeadline(topic: topic, text: "Weight size at ≤ \(pct) loss (1 − mean cosine): no entry qualifies.")
        }
        let factor = Double(fp32) / Double(best.weightBits!)
        let text = String(format: "Weight size at ≤ %@ loss (1 − mean cosine): %@ holds the linear weights in %d bits (%.2f MiB), %.2f× smaller than FP32.",
                          pct, best.entry.name, best.weightBits!, Double(best.weightBits!) / 8 / 1_048_576, factor)
        return ComparisonHeadline(topic: topic, baseline: "fp32", candidate: best.entry.name, text: text)
    }

    /// The JSON document: settings, rows and headlines.
    public func jsonData() throws -> Data {
        struct Document: Encodable { let comparison: ModelComparisonResult; let headlines: [ComparisonHeadline] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Document(comparison: self, headlines: headlines)) + Data("\n".utf8)
    }

    /// The area column's title: says when the area is scaled from a smaller synthesized array.
    var areaHeader: String { synthesizedAt.map { "area (NAND2-eq, synth \($0), per-PE scaled)" } ?? "area (NAND2-eq)" }

    /// How the cells were priced, for the note under the table.
    var pricingNote: String {
        guard let size = synthesizedAt else { return "; area: the whole array synthesized at its size" }
        return "; arrays synthesized at \(size) and scaled per PE to \(rows)×\(cols) (PE cells exact, the rest × PE-count ratio)"
    }

    /// The markdown table and the headlines.
    public var markdown: String {
        var md = "| entry | array | precision | cos mean | cos min | top-1 | top-5 | Spearman | cycles | energy (µJ) | \(areaHeader) | weight bits | 8-bit MACs |\n"
        md += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        func f(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "–" }
        for r in entries {
            if let error = r.error {
                md += "| \(r.entry.name) | \(r.entry.selector.joined(separator: " ")) | \(r.entry.precision) | failed: \(error) |||||||||\n"
                continue
            }
            let fid = r.fidelity
            let precision = r.entry.precision + (r.narrowed.map { " (\($0))" } ?? "")
            md += "| \(r.entry.name) | \(r.entry.selector.joined(separator: " ")) | \(precision) | \(f(fid?.meanCosine, "%.5f")) | "
                + "\(f(fid?.minCosine, "%.5f")) | \(f(fid?.top1Agreement, "%.3f")) | \(f(fid?.top5Overlap, "%.3f")) | \(f(fid?.spearman, "%.4f")) | "
                + "\(r.cycles.map(String.init) ?? "–") | \(f(r.energyPJ.map { $0 / 1e6 }, "%.2f")) | \(f(r.areaNand2, "%.0f")) | "
                + "\(r.weightBits.map(String.init) ?? "–") | \(f(r.eightBitMACShare.map { 100 * $0 }, "%.0f %%")) |\n"
        }
        md += "\n\(sentences) sentences, \(rows)×\(cols) arrays; cycles and energy are the performance model's (= the RTL's cycle count) "
            + "over every linear layer; " + (synthesized ? "energy includes the Yosys-synthesized PE and array cells" + pricingNote + ".\n"
                : "--no-synth: PEs and array logic unpriced (energy is buffers and DRAM only), no area.\n")
        md += "\n" + headlines.map { "- \($0.text)" }.joined(separator: "\n") + "\n"
        return md
    }
}
