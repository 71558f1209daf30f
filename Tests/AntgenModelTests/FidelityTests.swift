import Testing
@testable import AntgenModel

@Suite("Fidelity metrics")
struct FidelityTests {
    @Test("average ranks share tied positions")
    func ranks() {
        #expect(FidelityReport.averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(FidelityReport.averageRanks([3, 3, 3]) == [2, 2, 2])
        #expect(FidelityReport.averageRanks([5, 1, 4]) == [3, 1, 2])
    }

    @Test("Spearman: monotone 1, reversed −1, a tied case worked by hand, constant nil")
    func spearman() throws {
        #expect(FidelityReport.spearman([1, 2, 3, 4], [10, 20, 25, 100]) == 1)
        #expect(FidelityReport.spearman([1, 2, 3], [3, 2, 1]) == -1)
        // ranks x = 1, 2.5, 2.5, 4 and y = 1, 3, 2, 4: Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → 4.5/√22.5.
        let rho = try #require(FidelityReport.spearman([1, 2, 2, 3], [1, 3, 2, 4]))
        #expect(abs(rho - 0.9486832980505138) < 1e-12)
        #expect(FidelityReport.spearman([1, 1, 1], [1, 2, 3]) == nil)
    }

    @Test("three 2-D embeddings, one rotated: cosines, neighbours and pair ranks by hand")
    func byHand() throws {
        let reference = SentenceEmbeddings(count: 3, width: 2, values: [1, 0, 0.8, 0.6, 0, 1], tokens: [3, 3, 3], truncated: 0)
        let variant = SentenceEmbeddings(count: 3, width: 2, values: [1, 0, 0.6, 0.8, 0, 1], tokens: [3, 3, 3], truncated: 0)
        let r = try FidelityReport.compare(variant, reference: reference)
        // cos = 1, 0.96, 1.
        #expect(abs(r.meanCosine - 2.96 / 3) < 1e-7)
        #expect(abs(r.minCosine - 0.96) < 1e-7 && r.worstSentence == 1)
        // Nearest neighbours: reference 1, 0, 1; variant 1, 2, 1.
        #expect(abs(r.top1Agreement - 2.0 / 3) < 1e-12)
        // k = 2 = every other sentence: the sets always agree.
        #expect(r.top5Agreement == 1 && r.top5Overlap == 1)
        // Pairs (01, 02, 12): reference 0.8, 0, 0.6 → ranks 3, 1, 2; variant 0.6, 0, 0.8 → 2, 1, 3: ρ = 1/2.
        #expect(abs(try #require(r.spearman) - 0.5) < 1e-7)
    }

    @Test("identical embeddings agree perfectly; mismatched shapes are refused")
    func identicalAndMismatch() throws {
        let e = SentenceEmbeddings(count: 4, width: 2, values: [1, 0, 0.6, 0.8, 0, 1, -1, 0], tokens: [2, 2, 2, 2], truncated: 0)
        let r = try FidelityReport.compare(e, reference: e)
        #expect(abs(r.meanCosine - 1) < 1e-12 && r.top1Agreement == 1 && r.top5Overlap == 1 && r.spearman == 1)
        let other = SentenceEmbeddings(count: 1, width: 2, values: [1, 0], tokens: [2], truncated: 0)
        #expect(throws: ModelError.self) { try FidelityReport.compare(other, reference: e) }
    }
}
