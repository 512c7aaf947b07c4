/// What a learner's own function can be graded as: the functions CS231n's assignment 2 asks
/// for, with PyTorch's semantics as the answer. Each task names the arguments the function
/// receives and the values it must return, in order.
public enum GradingTask: String, CaseIterable, Sendable {
    case batchnormForward = "batchnorm_forward"
    case batchnormBackward = "batchnorm_backward"
    case runningUpdate = "running_update"
    case layernormForward = "layernorm_forward"
    case layernormBackward = "layernorm_backward"

    /// The positional arguments, in the order the function receives them.
    public var argumentNames: [String] {
        switch self {
        case .batchnormForward, .layernormForward: ["x", "gamma", "beta"]
        case .batchnormBackward, .layernormBackward: ["dy", "x", "gamma"]
        case .runningUpdate: ["running_mean", "running_var", "x"]
        }
    }

    /// The one number the function is told as well: `eps`, or `momentum` for the running update.
    public var settingName: String { self == .runningUpdate ? "momentum" : "eps" }

    /// What the function returns, in order (one value, or a list `return a, b`).
    public var outputNames: [String] {
        switch self {
        case .batchnormForward, .layernormForward: ["y"]
        case .batchnormBackward, .layernormBackward: ["dx", "dgamma", "dbeta"]
        case .runningUpdate: ["running_mean", "running_var"]
        }
    }

    /// The `def` line a learner writes for this task.
    public var signature: String {
        let setting = self == .runningUpdate ? "momentum: 0.1" : "eps: 1e-5"
        let returns = outputNames.count == 1 ? outputNames[0] : outputNames.joined(separator: ", ")
        return "def f(\(argumentNames.joined(separator: ", ")), \(setting)) { … return \(returns) }"
    }

    /// What the function must compute, in one line.
    public var summary: String {
        switch self {
        case .batchnormForward:
            "BatchNorm in training mode: each channel (axis 1) normalized over the batch (and H, W for 4-D input), then γ·x̂ + β"
        case .batchnormBackward:
            "BatchNorm's backward pass: dx, dγ, dβ of the loss Σ dy·y, for the forward in training mode"
        case .runningUpdate:
            "PyTorch's running statistics after one batch: (1 − m)·running + m·batch, with the unbiased batch variance"
        case .layernormForward:
            "LayerNorm: each sample normalized over its last axis, then γ·x̂ + β per feature"
        case .layernormBackward:
            "LayerNorm's backward pass: dx, dγ, dβ of the loss Σ dy·y"
        }
    }
}
