namespace Lifelong.NN;

/// <summary>Architecture options of <see cref="Mlp"/>.</summary>
/// <param name="Activation">The hidden activation.</param>
/// <param name="LayerNorm">Normalize each hidden pre-activation with a LayerNorm (Lyle et al. 2023's plasticity fix).</param>
/// <param name="LayerNormEps">ε of those norms.</param>
/// <param name="NegativeSlope">a of <see cref="Activation.LeakyRelu"/> (ignored by the other activations).</param>
public sealed record MlpOptions(Activation Activation = Activation.Relu, bool LayerNorm = false, float LayerNormEps = 1e-5f, float NegativeSlope = 0.01f);
