import BatchNormKit

/// Calling a network or one of its Linear layers like a function, as in PyTorch: `net(x)` gives
/// the logits in the net's mode (training mode updates BatchNorm's running statistics, as
/// `net(x)` does in PyTorch; eval mode uses them), `lin(x)` gives x·Wᵀ + b.
extension Interpreter {
    func callNetwork(_ callee: Value, _ arguments: [CallArgument], at location: SourcePosition) throws(LabError) -> Value {
        let (name, example) = switch callee {
        case .model: ("a model", "logits = net(x)")
        case .module(let m): (m.typeName, m.callExample)
        default: ("a linear layer", "y = lin(x)")
        }
        guard arguments.count == 1, arguments[0].label == nil, case .tensor(let x) = arguments[0].value else {
            let got = arguments.count == 1 ? arguments[0].value.typeName : "\(arguments.count) arguments"
            throw LabError(.type, "\(name) is called with one tensor, as in \(example); got \(got)", at: location)
        }
        warnAboutNonFinite(x, what: "the input to \(callee.typeName)", consequence: .layerInput, at: arguments[0].location)
        do throws(TensorError) {
            switch callee {
            case .model(let model): return .tensor(try model.forward(x))
            case .linear(let linear): return .tensor(try linear.forward(x))
            case .module(let module): return .tensor(try module(x))
            default: preconditionFailure("callNetwork is called for models, linear layers and modules only")
            }
        } catch {
            throw LabError(error, at: arguments[0].location)
        }
    }
}
