using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>A hidden layer seen as units: the layer that computes them, the layer that reads them, and how each unit's
/// outgoing weights are laid out there. ReDo and Continual Backprop recycle units through it.</summary>
/// <param name="Name">The layer's name (<c>fc1</c>, <c>conv2</c>).</param>
/// <param name="Incoming">The Linear or Conv2d whose output row/channel u is unit u.</param>
/// <param name="Outgoing">The next Linear or Conv2d, which reads the units (after activation, pooling, flattening).</param>
/// <param name="Units">Number of units (output features or channels of <paramref name="Incoming"/>).</param>
/// <param name="Copies">Activations per unit: 2 for CReLU ([relu(x), relu(−x)] side by side), else 1.</param>
/// <param name="Spread">Inputs of <paramref name="Outgoing"/> per unit copy: spatial positions when a convolution feeds a
/// flattened Linear, else 1.</param>
public sealed record HiddenLayer(string Name, Module Incoming, Module Outgoing, int Units, int Copies, int Spread)
{
    /// <summary>Weight of <see cref="Incoming"/>: (units, in) or (units, in, k, k).</summary>
    public Parameter IncomingWeight => Incoming is Linear l ? l.Weight : ((Conv2d)Incoming).Weight;

    /// <summary>Bias of <see cref="Incoming"/>, if any.</summary>
    public Parameter? IncomingBias => Incoming is Linear l ? l.Bias : ((Conv2d)Incoming).Bias;

    /// <summary>Weight of <see cref="Outgoing"/>.</summary>
    public Parameter OutgoingWeight => Outgoing is Linear l ? l.Weight : ((Conv2d)Outgoing).Weight;

    /// <summary>Bias of <see cref="Outgoing"/>, if any.</summary>
    public Parameter? OutgoingBias => Outgoing is Linear l ? l.Bias : ((Conv2d)Outgoing).Bias;

    /// <summary>The input indices (axis 1 of the outgoing weight) that carry unit <paramref name="unit"/>.</summary>
    public IEnumerable<int> OutgoingInputs(int unit)
    {
        for (int copy = 0; copy < Copies; copy++)
            for (int s = 0; s < Spread; s++) yield return (copy * Units + unit) * Spread + s;
    }

    /// <summary>Mean |h| of every unit over a batch of post-activation features (N, Copies·Units[, H, W]); copies add up.</summary>
    public double[] MeanAbsoluteActivation(Tensor features)
    {
        var values = features.Span;
        int n = features.Shape[0], perSample = features.Size / n, positions = perSample / (Copies * Units);
        var activity = new double[Units];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < Copies * Units; f++)
            {
                double sum = 0;
                var map = values.Slice(i * perSample + f * positions, positions);
                foreach (float h in map) sum += Math.Abs(h);
                activity[f % Units] += sum / positions;
            }
        for (int u = 0; u < Units; u++) activity[u] /= n;
        return activity;
    }

    /// <summary>The hidden layers of <paramref name="network"/>, input side first, laid out from a forward pass's hidden features.</summary>
    /// <param name="network">A model with <see cref="IHiddenFeatures"/> whose hidden layers are Linear or Conv2d modules of the same names.</param>
    /// <param name="forward">Any forward pass of it (the features' widths tell CReLU's two copies apart).</param>
    /// <exception cref="ArgumentException">The model exposes no hidden layers or they are not Linear/Conv2d modules.</exception>
    public static List<HiddenLayer> Of(Module network, HiddenForward forward)
    {
        if (network is not IHiddenFeatures features)
            throw new ArgumentException($"{network.GetType().Name} does not expose its hidden layers (IHiddenFeatures); unit recycling needs an Mlp or Cnn.");
        var layers = network.NamedModules().Where(m => m.Module is Linear or Conv2d).ToList();
        var result = new List<HiddenLayer>();
        for (int h = 0; h < features.HiddenLayerNames.Count; h++)
        {
            string name = features.HiddenLayerNames[h];
            int index = layers.FindIndex(m => m.Name == name);
            if (index < 0 || index + 1 >= layers.Count) throw new ArgumentException($"Hidden layer '{name}' is not a Linear or Conv2d followed by another.");
            var incoming = layers[index].Module;
            var outgoing = layers[index + 1].Module;
            int units = incoming is Linear l ? l.OutFeatures : ((Conv2d)incoming).Weight.Shape[0];
            int inputs = outgoing is Linear o ? o.InFeatures : ((Conv2d)outgoing).Weight.Shape[1];
            int copies = forward.Hidden[h].Shape[1] / units;
            if (copies < 1 || inputs % (copies * units) != 0)
                throw new ArgumentException($"Hidden layer '{name}': {inputs} inputs of the next layer do not divide into {units} units × {copies} copies.");
            result.Add(new HiddenLayer(name, incoming, outgoing, units, copies, inputs / (copies * units)));
        }
        return result;
    }
}
