import Foundation
@testable import LabShell
import BatchNormKit
import Testing

/// Messages that name the real cause (issue 12, "say the truth"): each test pins the text a
/// learner reads and fails on the message that used to guess or claim too much.
@Suite struct TruthTests {
    // MARK: - NaN coming out of a finite input

    @Test func negativeRunningVarIsNamedAsTheCause() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(4); bn.running_var = zeros(4) - 1; eval(bn); y = bn(randn(4, 4))"))
        #expect(session.lastError.contains(
            "batchnorm(4) turned a finite input into 16 NaN values: running_var has 4 negative entries "
            + "(the first: running_var[0] = -1), and eval mode divides by √(running_var + eps), "
            + "the square root of a negative number"), "\(session.lastError)")
        #expect(!session.lastError.contains("overflow"))
    }

    @Test func aVarianceThatEpsLiftsAboveZeroIsNotBlamed() {
        // −1e-6 + 1e-5 > 0: the square root is real, and no NaN comes out to explain.
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(2); bn.running_var = zeros(2) - 1e-6; eval(bn); y = bn(randn(4, 2))"))
        #expect(session.errors.isEmpty, "\(session.errors)")
    }

    @Test func nanRunningStatisticsAreNamedAsTheCause() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(3); z = zeros(3); bn.running_mean = z / z; eval(bn); y = bn(randn(2, 3))"))
        #expect(session.lastError.contains(
            "batchnorm(3) turned a finite input into 6 NaN values: running_mean holds 3 NaNs "
            + "(the first: running_mean[0]), and NaN spreads to every output computed with it"), "\(session.lastError)")
        let one = SessionHarness()
        #expect(one.run("bn = batchnorm(3); bn.running_var = [1, 1, 0] / [1, 1, 0]; eval(bn); y = bn(randn(2, 3))"))
        #expect(one.lastError.contains("turned a finite input into 2 NaN values: running_var holds a NaN (running_var[2])"),
                "\(one.lastError)")
    }

    @Test func runningStatisticsAreNotBlamedInTrainingMode() throws {
        let bn = try BatchNorm(numFeatures: 2)
        try bn.setRunningVar(Tensor(vector: [-1, 1]))
        #expect(bn.nanSources.isEmpty, "training mode normalizes with the batch's statistics")
        bn.training = false
        let source = try #require(bn.nanSources.first)
        #expect(bn.nanSources.count == 1)
        #expect((source.tensor, source.reason, source.count, source.firstIndex, source.firstValue)
                == ("running_var", .negativeVariance, 1, [0], -1))
    }

    // MARK: - NaN going in

    /// `load` used to say "any channel that holds one gets NaN statistics", and then `stats`
    /// showed finite ones: the warning now says what each command does with the NaN.
    @Test func loadingANaNSaysWhatStatsAndBatchNormDoWithIt() throws {
        let folder = try Scratch()
        try folder.write("nan.npy", NpyFile.encode(Tensor(shape: [2, 2], scalars: [1, 2, .nan, 4])))
        let session = SessionHarness()
        session.interpreter.console.sandboxFolder = folder.path
        #expect(session.run("x = load(\"nan.npy\")"))
        #expect(session.lastError.hasSuffix("nan.npy contains 1 NaN value; stats summarizes the finite values and counts "
            + "the others, but mean is NaN, and so are channel_means and batchnorm's training-mode output "
            + "for every channel that holds one"), "\(session.lastError)")
        // Each clause, checked against the command it names.
        #expect(session.run("stats x"))
        let rows = session.output.joined(separator: "\n").split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("0 1.0000 0.0000 0.0000 1.0000 1.0000 50.0%"),
                "stats: channel 0 holds 1 and NaN, so its finite mean is 1\n\(session.text)")
        #expect(session.run("m = mean(x); c = channel_means(x); y = batchnorm(2)(x)"))
        #expect(session.number("m")?.isNaN == true)
        #expect(session.tensor("c")[0].isNaN && session.tensor("c")[1] == 3)
        #expect(session.errors.contains { $0.hasSuffix("x holds NaN or infinite values; the statistics above are of the "
            + "finite ones, but channel_means and training-mode batchnorm give NaN for those channels") })
        let y = session.tensor("y")
        #expect(y[0].isNaN && y[2].isNaN && !y[1].isNaN && !y[3].isNaN, "the NaN's channel, and only it")
    }

    // MARK: - What load did to the file

    /// np.save of a float64 array: bnlab rounds it to float32 and now says by how much.
    @Test func loadingFloat64SaysItConvertedAndTheLargestChange() throws {
        let folder = try Scratch()
        // 0.1 moves by 1.49e-09 in rounding, 16777217 (2^24 + 1) by 1, 1e300 overflows.
        try folder.write("wide.npy", npy(descr: "<f8", shape: "(2, 2)", float64: [0.1, 2.5, 16_777_217, 1e300]))
        try folder.write("exact.npy", npy(descr: "<f8", shape: "(2,)", float64: [0.5, -3]))
        let session = SessionHarness()
        session.interpreter.console.sandboxFolder = folder.path
        #expect(session.run("x = load(\"wide.npy\")"))
        #expect(session.output == ["converted float64 → float32: largest change 1.0e+00 at [1, 0], relative 6.0e-08\n"
                                   + "1 value beyond float32's range became ±inf"], "\(session.output)")
        #expect(session.run("e = load(\"exact.npy\")"))
        #expect(session.output.last == "converted float64 → float32: every finite value was exact")
        #expect(session.tensor("e") == [0.5, -3])
    }

    /// A 0-d array (np.save(f, np.float64(2.5))) is a number, not a tensor of shape (1).
    @Test func aZeroDimensionalNpyLoadsAsANumber() throws {
        let folder = try Scratch()
        try folder.write("s4.npy", npy(descr: "<f4", shape: "()", float32: [2.5]))
        try folder.write("s8.npy", npy(descr: "<f8", shape: "()", float64: [0.1]))
        let session = SessionHarness()
        session.interpreter.console.sandboxFolder = folder.path
        #expect(session.run("s = load(\"s4.npy\"); s * 2"))
        #expect(session.number("s") == 2.5)
        #expect(session.output.last == "5")
        #expect(session.run("t = load(\"s8.npy\")"))
        #expect(session.number("t") == Double(Float(0.1)))
        #expect(session.output.last == "converted float64 → float32: largest change 1.5e-09, relative 1.5e-08")
    }

    // MARK: - Commands that used to do less than they said

    /// help says "every BatchNorm of an eval-mode network"; a training-mode one used to be
    /// switched to eval mode behind the learner's back and folded.
    @Test func foldRefusesATrainingModeNetwork() {
        let session = SessionHarness()
        #expect(!session.run("net = mlp([2, 4, 2], norm: \"batch\"); small = fold(net)"))
        #expect(session.lastError.contains("fold needs the network in eval mode, and net is in training mode (where "
            + "batchnorm uses each batch's statistics, not the running ones folding bakes in): call eval(net) first"),
                "\(session.lastError)")
        #expect(session.variable("small") == nil)
        #expect(session.run("eval(net); small = fold(net)"))
        #expect(session.output.last?.hasPrefix("folded 1 batchnorm layer") == true)
        #expect(session.run("plain = fold(mlp([2, 4, 2]))"), "no batchnorm: nothing depends on the mode")
    }

    /// Ctrl-C during track keeps the batches already run in the running statistics: say how many.
    @Test func anInterruptedTrackSaysHowManyBatchesItApplied() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(2); x = randn(64, 2)"))
        // The interpreter polls once per statement and track once per batch: the 39th poll is
        // the one before batch 38, so 37 batches have run.
        var polls = 0
        session.interpreter.console.isInterrupted = { polls += 1; return polls > 38 }
        #expect(!session.run("track(bn, x, steps: 100)"))
        #expect(session.output.last == "track stopped after 37 of 100 batches; bn's running statistics include those 37")
        #expect(session.lastError.hasSuffix("interrupted"))
        session.interpreter.console.isInterrupted = { false }
        #expect(session.run("n = bn.num_batches_tracked"))
        #expect(session.number("n") == 37)
    }

    // MARK: - Numbers under precision

    /// A number printed as a value used to show every float64 digit whatever `precision` said.
    @Test(arguments: [
        ("1.4634599685668945", "1.4635", "1.46346"),     // a float32 widened: its own 6 digits at 12
        ("1 / 3", "0.3333", "0.333333333333"),
        ("0.000123456789", "1.2346e-04", "0.000123456789"),  // 12 decimals hold it
        ("0.1", "0.1", "0.1"), ("2.5", "2.5", "2.5"), ("1e-5", "1e-05", "1e-05"),
        ("3", "3", "3"), ("-40", "-40", "-40"), ("1e20", "1e+20", "1e+20"), ("0.0001234", "0.0001234", "0.0001234"),
    ])
    func numbersFollowPrecision(source: String, atFour: String, atTwelve: String) {
        let session = SessionHarness()
        #expect(session.run(source))
        #expect(session.output.last == atFour)
        #expect(session.run("precision(12); \(source)"))
        #expect(session.output.last == atTwelve)
    }

    @Test func exercisesShowAnswersToPrecision() {
        let session = SessionHarness()
        session.interpreter.console.ask = { _ in "5.909538745880127" }
        #expect(session.run("exercise(\"what?\", answer: 5.9095387)"))
        #expect(session.output.last == "right: 5.9095", "\(session.output)")
        #expect(session.run("precision(12); exercise(\"what?\", answer: 5.9095387)"))
        #expect(session.output.last == "right: 5.9095387", "the float32 the answer was, in full")
    }

    // MARK: - Legends for marks and columns

    @Test func theNormalOverlaySaysWhatItsDotsAre() {
        let legend = "• = what each bin would count if the values were normal, N(mean, std²)"
        let session = SessionHarness()
        #expect(session.run("hist(randn(200), normal: true)"))
        #expect(session.output.last?.split(separator: "\n").last.map(String.init) == legend)
        #expect(session.run("hist(randn(200))"))
        #expect(session.output.last?.contains("normal") == false, "no dots, no legend")
        let narrow = SessionHarness(width: 50)
        #expect(narrow.run("hist(randn(200), normal: true)"))
        let lines = (narrow.output.last ?? "").split(separator: "\n")
        #expect(lines.suffix(2) == ["• = what each bin would count if the values were", "normal, N(mean, std²)"])
        #expect(lines.allSatisfy { $0.count <= 50 })
    }

    @Test func fitDiagnosticsDefineTheirColumns() {
        let legend = "saturated: ∇ ≈ 0; update/data: std(lr·∇W)/std(W); input shift: |Δmean|+|Δstd|"
        for width in [80, 60] {
            let session = SessionHarness(width: width)
            #expect(session.run("r = fit(mlp([2, 8, 3], norm: \"batch\"), spirals(60, classes: 3), epochs: 1, diagnostics: true)"))
            let table = session.output.first { $0.hasPrefix("block ") } ?? ""
            let lines = table.split(separator: "\n").map(String.init)
            // The legend wraps at words to the width (the table above it is as wide as its columns).
            let legendLines = width == 80 ? lines.suffix(1) : lines.suffix(2)
            #expect(legendLines.joined(separator: " ") == legend, "\(lines)")
            #expect(legendLines.allSatisfy { $0.count < width }, "\(lines)")
        }
    }

    /// A version 1.0 `.npy` file, as np.save writes it (the header need not be padded for bnlab).
    private func npy(descr: String, shape: String, float32: [Float] = [], float64: [Double] = []) -> [UInt8] {
        let header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }\n".utf8)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
        for v in float32 { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        for v in float64 { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }
}

/// A fresh folder under the system's temporary folder, removed when the test ends.
final class Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-truth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
    }
}
