using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>Edits to single hidden units that ReDo and Continual Backprop share.</summary>
public static class UnitSurgery
{
    /// <summary>Sets every outgoing weight of <paramref name="unit"/> to 0 (its column(s) in the next layer's weight).</summary>
    public static void ZeroOutgoing(HiddenLayer layer, int unit)
    {
        var weight = layer.OutgoingWeight;
        int outputs = weight.Shape[0], inputs = weight.Shape[1], kernel = weight.Size / (outputs * inputs);
        var values = weight.Span;
        foreach (int input in layer.OutgoingInputs(unit))
            for (int o = 0; o < outputs; o++) values.Slice((o * inputs + input) * kernel, kernel).Clear();
    }

    /// <summary>Σ over outputs o of |w[o, inputs(unit)]| / (outputs · inputs per unit): the mean outgoing weight magnitude.</summary>
    public static double MeanAbsoluteOutgoing(HiddenLayer layer, int unit)
    {
        var weight = layer.OutgoingWeight;
        int outputs = weight.Shape[0], inputs = weight.Shape[1], kernel = weight.Size / (outputs * inputs);
        var values = weight.Span;
        double sum = 0;
        int count = 0;
        foreach (int input in layer.OutgoingInputs(unit))
            for (int o = 0; o < outputs; o++)
                foreach (float w in values.Slice((o * inputs + input) * kernel, kernel))
                {
                    sum += Math.Abs(w);
                    count++;
                }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>Zeroes the optimizer's state (moments, and Adam's per-element step where kept) of the units' incoming rows,
    /// biases and outgoing columns.</summary>
    public static void ResetOptimizerState(Optimizer optimizer, HiddenLayer layer, IReadOnlyList<int> units)
    {
        int[] rows = [.. units];
        optimizer.ResetRows(layer.IncomingWeight, rows);
        if (layer.IncomingBias is { } bias) optimizer.ResetRows(bias, rows);
        optimizer.ResetColumns(layer.OutgoingWeight, [.. units.SelectMany(layer.OutgoingInputs)]);
    }
}
