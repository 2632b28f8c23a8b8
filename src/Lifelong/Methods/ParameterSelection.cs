using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>Which parameters a method acts on, and fresh samples of their initialisation.</summary>
public static class ParameterSelection
{
    /// <summary>Every weight and bias except LayerNorm's: the set L2 Init, L2 and Shrink &amp; Perturb regularize, as the L2 Init
    /// code (which skips names containing <c>layer_norm</c>).</summary>
    public static List<Parameter> WeightsAndBiases(Module network)
    {
        var normParameters = network.NamedModules().Where(m => m.Module is LayerNorm).SelectMany(m => m.Module.Parameters()).ToHashSet();
        return [.. network.Parameters().Where(p => !normParameters.Contains(p))];
    }

    /// <summary>A fresh draw φ from each parameter's initial distribution, as a newly constructed model would have.</summary>
    /// <remarks>
    /// Linear and Conv2d weights and biases: PyTorch's default U(−1/√fan_in, 1/√fan_in) (fan_in = in·k·k for a
    /// convolution), exactly what our layers are initialised with. LayerNorm: ones and zeros. Parameters of other
    /// modules (a ViT's position embedding and class token) have no sampler here and get a copy of
    /// <paramref name="fallback"/> (θ₀), so that for them a "fresh sample" means the initial value.
    /// </remarks>
    public static Dictionary<Parameter, Tensor> FreshSample(Module network, Rng rng, IReadOnlyDictionary<Parameter, Tensor>? fallback = null)
    {
        var sample = new Dictionary<Parameter, Tensor>();
        foreach (var (name, module) in network.NamedModules())
        {
            switch (module)
            {
                case Linear linear:
                    Add(sample, linear.Weight, linear.Bias, rng.Split(name));
                    break;
                case Conv2d conv:
                    Add(sample, conv.Weight, conv.Bias, rng.Split(name));
                    break;
                case LayerNorm norm:
                    foreach (var (parameterName, parameter) in norm.NamedParameters())
                        sample[parameter] = Tensor.Full(parameter.Shape, parameterName == "weight" ? 1f : 0f);
                    break;
            }
        }
        foreach (var parameter in network.Parameters())
            if (!sample.ContainsKey(parameter)) sample[parameter] = fallback is not null && fallback.TryGetValue(parameter, out var p0) ? p0.Clone() : parameter.Clone();
        return sample;
    }

    private static void Add(Dictionary<Parameter, Tensor> sample, Parameter weight, Parameter? bias, Rng rng)
    {
        var w = Tensor.Zeros(weight.Shape);
        var b = bias is null ? null : Tensor.Zeros(bias.Shape);
        Init.PyTorchDefault(w, b, rng);
        sample[weight] = w;
        if (bias is not null) sample[bias] = b!;
    }
}
