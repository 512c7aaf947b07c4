@testable import LabShell
import BatchNormKit
import Testing

/// `fit(…, ghost: b)`: BatchNorm over ghost batches trains the learner's own network (its very
/// layers), a ghost as large as the batch changes nothing, and a ghost that cannot work is refused.
@Suite struct GhostFitTests {
    static func fitted(_ options: String, seed: Int = 3) -> SessionHarness {
        let s = SessionHarness()
        s.run("""
        seed(\(seed))
        data = spirals(300)
        net = mlp([2, 16, 16, 3], norm: "batch")
        eval(net)
        r = fit(net, data, epochs: 2, batch: 32\(options))
        acc = r.test_accuracy[1]
        """)
        return s
    }

    @Test func aGhostAsLargeAsTheBatchIsPlainBatchNorm() {
        let plain = Self.fitted(""), ghost = Self.fitted(", ghost: 32")
        #expect(plain.errors.isEmpty && ghost.errors.isEmpty, "\(plain.errors) \(ghost.errors)")
        #expect(plain.number("acc") != nil && plain.number("acc") == ghost.number("acc"))
        #expect(ghost.text.contains("in ghost batches of 32"))
        #expect(!plain.text.contains("ghost"))
    }

    @Test func smallGhostBatchesTrainTheNetsOwnLayers() throws {
        let plain = Self.fitted(""), ghost = Self.fitted(", ghost: 2")
        #expect(ghost.errors.isEmpty, "\(ghost.errors)")
        #expect(plain.number("acc") != ghost.number("acc"))
        guard case .model(let net)? = ghost.variable("net") else { Issue.record("no net"); return }
        let bn = try #require(net.blocks[0].norm as? BatchNorm, "the net keeps its own BatchNorm")
        // 240 training samples cut into ghost batches of 2 in each of 2 epochs: one update each.
        #expect(bn.numBatchesTracked == 2 * 240 / 2)
        #expect(net.training, "fit leaves the net in training mode, as without ghost")
        #expect(bn.training)
    }

    @Test func aGhostThatCannotWorkIsRefused() {
        let one = SessionHarness()
        #expect(!one.run("net = mlp([2, 8, 3], norm: \"batch\"); r = fit(net, spirals(100), ghost: 1)"))
        #expect(one.lastError.contains("ghost must be at least 2"))
        let layer = SessionHarness()
        #expect(!layer.run("net = mlp([2, 8, 3], norm: \"layer\"); r = fit(net, spirals(100), ghost: 4)"))
        #expect(layer.lastError.contains("ghost batches split BatchNorm's statistics"))
        #expect(layer.lastError.contains("layernorm before each relu"))
    }
}
