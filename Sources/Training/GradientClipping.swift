// Global gradient-norm clipping (Pascanu et al. 2013), as `torch.nn.utils.clip_grad_norm_`:
// scale every gradient by min(1, maxNorm / (‖g‖ + 1e-6)), ‖g‖ the L2 norm over all of them.

/// Clips in place and returns the total norm before clipping, as `clip_grad_norm_` does.
@discardableResult
public func clipGradients(_ gradients: inout Gradients, maxNorm: Float) -> Float {
  let total = gradients.norm
  let coefficient = min(1, maxNorm / (total + 1e-6))
  guard coefficient < 1 else { return total }  // × 1 changes nothing
  for name in gradients.tensors.keys {
    gradients.tensors[name]!.scalars.withUnsafeMutableBufferPointer { g in
      for i in g.indices { g[i] *= coefficient }
    }
  }
  return total
}
