/// Image data sets: the same rows, known to be (C, H, W) images, so a conv net can be built for
/// them and a learner sees `data.x` as (N, C, H, W). Rows stay flat inside, so every split,
/// batch and trainer works unchanged (and an MLP still trains on the same data).
extension Dataset {
    /// The same samples with each row read as a `shape` = (C, H, W) image.
    public func images(_ shape: [Int]) throws(TensorError) -> Dataset {
        guard shape.count == 3, shape.allSatisfy({ $0 >= 1 }), shape.reduce(1, *) == features else {
            throw .invalidArgument("\(name)'s rows of \(features) values cannot be read as images of shape "
                + "\(Tensor.describe(shape: shape)) (C, H, W)")
        }
        var copy = self
        copy.imageShape = shape
        return copy
    }

    /// x as the learner sees it: (N, C, H, W) for images, (N, features) otherwise.
    public var samples: Tensor {
        guard let imageShape else { return x }
        return (try? x.reshaped([count] + imageShape)) ?? x
    }
}
