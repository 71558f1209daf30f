/// Model-level fidelity of a variant's sentence embeddings against the FP32 reference's, with
/// no labels needed: per-sentence cosine, nearest-neighbour agreement within the corpus, and
/// the rank correlation of all pairwise similarities.
public struct FidelityReport: Codable, Sendable, Equatable {
    /// Sentences compared.
    public var sentences: Int
    /// Mean and minimum over sentences of cos(variant, FP32).
    public var meanCosine: Double, minCosine: Double
    /// The sentence with the lowest cosine (0-based line index).
    public var worstSentence: Int
    /// Fraction of sentences whose nearest neighbour (by cosine, itself excluded, ties to the
    /// lower index) is the same under both.
    public var top1Agreement: Double
    /// Fraction of sentences whose top-k neighbour sets are equal (k = min(5, sentences − 1)).
    public var top5Agreement: Double
    /// Mean over sentences of |top-k(variant) ∩ top-k(FP32)| / k.
    public var top5Overlap: Double
    /// Spearman correlation (average ranks for ties) of the similarities of all
    /// sentences(sentences − 1)/2 pairs, variant vs FP32 (nil with fewer than 3 sentences or
    /// when one side's similarities are all equal).
    public var spearman: Double?

    /// Compares `variant` with `reference` (same count and width).
    ///
    /// - Throws: ``ModelError`` when the shapes differ or there are no sentences.
    public static func compare(_ variant: SentenceEmbeddings, reference: SentenceEmbeddings) throws(ModelError) -> FidelityReport {
        guard variant.count == reference.count, variant.width == reference.width, variant.count > 0 else {
            throw ModelError("fidelity: \(variant.count) × \(variant.width) embeddings cannot be compared with \(reference.count) × \(reference.width)")
        }
        let n = variant.count
        let cosines = (0 ..< n).map { cosine(variant.row($0), reference.row($0)) }
        let worst = cosines.indices.min { cosines[$0] < cosines[$1] }!
        let simV = similarities(variant), simR = similarities(reference)
        let k = min(5, n - 1)
        var top1 = 0, topSets = 0, overlap = 0.0
        if k > 0 {
            for i in 0 ..< n {
                let a = neighbours(simV, n: n, of: i, k: k), b = neighbours(simR, n: n, of: i, k: k)
                if a[0] == b[0] { top1 += 1 }
                if Set(a) == Set(b) { topSets += 1 }
                overlap += Double(Set(a).intersection(b).count) / Double(k)
            }
        }
        var pairsV: [Double] = [], pairsR: [Double] = []
        for i in 0 ..< n {
            for j in i + 1 ..< n {
                pairsV.append(simV[i * n + j])
                pairsR.append(simR[i * n + j])
            }
        }
        let spearman = pairsV.count >= 2 ? Self.spearman(pairsV, pairsR) : nil
        let denominator = k > 0 ? Double(n) : 1
        return FidelityReport(sentences: n, meanCosine: cosines.reduce(0, +) / Double(n), minCosine: cosines[worst], worstSentence: worst,
                              top1Agreement: Double(top1) / denominator, top5Agreement: Double(topSets) / denominator,
                              top5Overlap: overlap / denominator, spearman: spearman)
    }

    /// cos(a, b) in float64 (0 when either is the zero vector).
    public static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var (dot, na, nb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return na == 0 || nb == 0 ? 0 : dot / (na * nb).squareRoot()
    }

    /// The n × n cosine-similarity matrix, row-major.
    static func similarities(_ e: SentenceEmbeddings) -> [Double] {
        var out = [Double](repeating: 0, count: e.count * e.count)
        for i in 0 ..< e.count {
            for j in i ..< e.count {
                let s = cosine(e.row(i), e.row(j))
                out[i * e.count + j] = s
                out[j * e.count + i] = s
            }
        }
        return out
    }

    /// The `k` most similar other sentences of `i`, most similar first (ties: lower index first).
    static func neighbours(_ sim: [Double], n: Int, of i: Int, k: Int) -> [Int] {
        let others = (0 ..< n).filter { $0 != i }
        let sorted = others.sorted { a, b in
            let (sa, sb) = (sim[i * n + a], sim[i * n + b])
            return sa != sb ? sa > sb : a < b
        }
        return Array(sorted.prefix(k))
    }

    /// Spearman's ρ: the Pearson correlation of the average ranks (nil when a side is constant).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(averageRanks(x), averageRanks(y))
    }

    /// Ranks from 1, tied values sharing the mean of the ranks they span.
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + 1 + end) / 2 // mean of start+1 … end
            for index in start ..< end { ranks[order[index]] = rank }
            start = end
        }
        return ranks
    }

    /// Pearson's r (nil when either side has zero variance or the lengths differ).
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
