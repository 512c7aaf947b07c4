@testable import BatchNormKit
import Foundation
import Testing

/// Counts and edges against `numpy.histogram` on the same float32 data (Fixtures/histograms,
/// written by make_histograms.py): values on edges, explicit ranges, constant data.
@Suite struct HistogramTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let x: [Double]
        let bins: Int
        let range: [Double]?
        let counts: [Int]
        let edges: [Double]
        var testDescription: String { name }
    }

    struct File: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/histograms/histograms.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    @Test func fixturesArePresent() {
        #expect(Self.cases.count == 14)
    }

    @Test(arguments: cases)
    func matchesNumpy(_ c: Case) throws {
        let range = c.range.map { (lower: $0[0], upper: $0[1]) }
        let h = try Histogram(c.x.map { Float($0) }, bins: c.bins, range: range)
        #expect(h.counts == c.counts)
        #expect(h.edges == c.edges.map { Float($0) })
        #expect(h.counts.reduce(0, +) + h.outside == c.x.count)
    }

    @Test func nonFiniteValuesAreSetAside() throws {
        let h = try Histogram([1, .nan, 2, .infinity, 3], bins: 2)
        #expect(h.counts == [1, 2] && h.nonFinite == 2)
    }

    @Test func badBinsAndRangesAreErrors() {
        #expect(throws: TensorError.self) { try Histogram([1], bins: 0) }
        #expect(throws: TensorError.self) { try Histogram([1], bins: Histogram.maxBins + 1) }
        #expect(throws: TensorError.self) { try Histogram([1], bins: 3, range: (lower: 2, upper: 1)) }
        #expect(throws: TensorError.self) { try Histogram([1], bins: 3, range: (lower: 0, upper: .infinity)) }
    }

    @Test func constantDataWidensByAHalf() throws {
        let h = try Histogram([4, 4, 4], bins: 2)
        #expect(h.isConstant && h.edges == [3.5, 4, 4.5] && h.counts == [0, 3])
    }
}

/// NumPy refuses bins that float32 cannot give a width ("Too many bins for data range"); so do we.
@Suite struct HistogramZeroWidthTests {
    @Test func tooManyBinsForTheRangeIsAnError() throws {
        #expect(throws: TensorError.self) { try Histogram([1e-45, 2e-45, 0], bins: 20) }
        let one = try Histogram([1e-45, 2e-45, 0], bins: 1)
        #expect(one.counts == [3])
    }
}
