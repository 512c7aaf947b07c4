@testable import LabShell
import Testing

/// `help NAME` ends with the PyTorch line that does what the example does, for the learner who
/// knows PyTorch; its names and defaults must be PyTorch's own.
@Suite struct PyTorchLineTests {
    static func help(_ name: String, width: Int = 80) -> String {
        let s = SessionHarness(width: width)
        s.run("help \(name)")
        return s.text
    }

    @Test func theNormLayersNameTheirPyTorchModules() {
        #expect(Self.help("batchnorm").contains("  PyTorch: bn = torch.nn.BatchNorm1d(8, eps=0.001, momentum=None) # BatchNorm2d"))
        #expect(Self.help("batchnorm").contains("the defaults are eps=1e-05, momentum=0.1"))
        #expect(Self.help("layernorm").contains("  PyTorch: ln = torch.nn.LayerNorm(8)"))
        #expect(Self.help("groupnorm").contains("  PyTorch: gn = torch.nn.GroupNorm(2, 8)"))
        #expect(Self.help("instancenorm").contains("  PyTorch: inn = torch.nn.InstanceNorm1d(8)"))
        #expect(Self.help("rmsnorm").contains("  PyTorch: rn = torch.nn.RMSNorm(8) # eps=None means torch.finfo(x.dtype).eps"))
    }

    @Test func reductionsSayWhichCorrectionTheyUse() {
        #expect(Self.help("var").contains("  PyTorch: x.var(correction=0)"))
        #expect(Self.help("channel_vars").contains("  PyTorch: y.var(dim=0, correction=0)"))
        #expect(Self.help("channel_means").contains("  PyTorch: y.mean(dim=0)"))
        #expect(Self.help("mean").contains("  PyTorch: x.mean()"))
    }

    @Test func theRestOfTheTable() {
        #expect(Self.help("seed").contains("  PyTorch: torch.manual_seed(7)"))
        #expect(Self.help("randn").contains("  PyTorch: x = torch.randn(64, 8) * 3 + 5"))
        #expect(Self.help("eval").contains("  PyTorch: bn.eval()"))
        #expect(Self.help("train").contains("  PyTorch: bn.train()"))
        #expect(Self.help("fold").contains("torch.nn.utils.fuse_linear_bn_eval(linear, bn)"))
        #expect(Self.help("mlp").contains("  PyTorch: net = nn.Sequential(nn.Linear(2, 64), nn.BatchNorm1d(64), nn.ReLU(),"))
        #expect(Self.help("save").contains("  PyTorch: np.save(\"y.npy\", y.numpy())"))
        #expect(Self.help("load").contains("  PyTorch: x = torch.from_numpy(np.load(\"acts.npy\"))"))
    }

    /// A page shows the line exactly when its command has one, at every width.
    @Test(arguments: [60, 80])
    func theLineEndsThePageWhereThereIsOne(width: Int) {
        for command in CommandTable.all {
            let page = Self.help(command.name, width: width)
            #expect(page.contains("\n  PyTorch: ") == (command.pytorch != nil), "\(command.name)")
        }
        #expect(!Self.help("stats").contains("PyTorch:"))
    }
}
