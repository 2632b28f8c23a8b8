using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>What a DEN stage trains: each parameter with the mask of its elements that may move (null: all of them).</summary>
internal sealed class Trainable : Dictionary<Parameter, bool[]?>
{
    /// <summary>Every hidden layer and the head of <paramref name="head"/>.</summary>
    public static Trainable All(DenNetwork network, int head)
    {
        var result = new Trainable();
        for (int l = 0; l < network.Depth; l++) (result[network.Weight(l)], result[network.Bias(l)]) = (null, null);
        var (w, b) = network.Head(head);
        (result[w], result[b]) = (null, null);
        return result;
    }

    /// <summary>The weights among selected units (inputs all count as selected), their biases, and the head's weights from selected top units.</summary>
    public static Trainable Selected(DenNetwork network, int head, IReadOnlyList<HashSet<int>> selected)
    {
        var result = new Trainable();
        for (int l = 0; l < network.Depth; l++)
        {
            var weight = network.Weight(l);
            var below = l == 0 ? null : selected[l - 1];
            result[weight] = Mask(weight, (r, c) => selected[l].Contains(r) && (below is null || below.Contains(c)));
            result[network.Bias(l)] = Mask(network.Bias(l), (r, _) => selected[l].Contains(r));
        }
        var (w, b) = network.Head(head);
        result[w] = Mask(w, (_, c) => selected[^1].Contains(c));
        result[b] = null;
        return result;
    }

    /// <summary>After expansion: the new units' incoming weights and biases, the weights from new units into every unit
    /// above, and the head; <paramref name="before"/> are the widths before expansion.</summary>
    public static Trainable NewUnits(DenNetwork network, int head, int[] before)
    {
        var result = new Trainable();
        for (int l = 0; l < network.Depth; l++)
        {
            int old = before[l], oldBelow = l == 0 ? int.MaxValue : before[l - 1];
            result[network.Weight(l)] = Mask(network.Weight(l), (r, c) => r >= old || c >= oldBelow);
            result[network.Bias(l)] = Mask(network.Bias(l), (r, _) => r >= old);
        }
        var (w, b) = network.Head(head);
        (result[w], result[b]) = (null, null);
        return result;
    }

    /// <summary>Adds ℓ₂ (on weights) and the tie to the gradients, then zeroes the gradient of every element that may not
    /// move; returns the penalties' value over the trainable elements.</summary>
    public double AddPenaltyGradients(double l2, Tie? tie, double tieWeight)
    {
        double penalty = 0;
        foreach (var (parameter, mask) in this)
        {
            var grad = (parameter.Grad ?? throw new InvalidOperationException("DEN: a trainable parameter has no gradient.")).Span;
            var values = parameter.Span;
            bool isWeight = parameter.Shape.Rank == 2;
            (float[] Anchor, bool[] Mask)? tied = tie is not null && tie.TryGetValue(parameter, out var t) ? t : null;
            for (int i = 0; i < values.Length; i++)
            {
                if (mask is not null && !mask[i]) { grad[i] = 0f; continue; }
                if (isWeight && l2 > 0)
                {
                    grad[i] += (float)(l2 * values[i]);
                    penalty += 0.5 * l2 * values[i] * values[i];
                }
                if (tied is { } anchor && anchor.Mask[i])
                {
                    double d = values[i] - anchor.Anchor[i];
                    grad[i] += (float)(tieWeight * d);
                    penalty += 0.5 * tieWeight * d * d;
                }
            }
        }
        return penalty;
    }

    /// <summary>The ℓ₁ proximal step on the trainable elements of every weight: w ← sign(w)·max(|w| − λ, 0).</summary>
    public void SoftThreshold(float lambda)
    {
        if (lambda <= 0) return;
        foreach (var (parameter, mask) in this)
        {
            if (parameter.Shape.Rank != 2) continue;
            var values = parameter.Span;
            for (int i = 0; i < values.Length; i++)
                if (mask is null || mask[i]) values[i] = MathF.Abs(values[i]) <= lambda ? 0f : values[i] - MathF.CopySign(lambda, values[i]);
        }
    }

    private static bool[] Mask(Tensor parameter, Func<int, int, bool> keep)
    {
        int rows = parameter.Shape[0], columns = parameter.Shape.Rank == 2 ? parameter.Shape[1] : 1;
        var mask = new bool[rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) mask[r * columns + c] = keep(r, c);
        return mask;
    }
}

/// <summary>DEN's tie to the previous task's weights: per parameter, the anchor values and which elements are tied.</summary>
internal sealed class Tie : Dictionary<Parameter, (float[] Anchor, bool[] Mask)>
{
    /// <summary>Ties every hidden weight and bias that existed in <paramref name="previous"/> (the top-left block of each
    /// layer of <paramref name="network"/>) to its value there.</summary>
    public static Tie Toward(DenNetwork previous, DenNetwork network)
    {
        var result = new Tie();
        for (int l = 0; l < network.Depth; l++)
        {
            result[network.Weight(l)] = Block(previous.Weight(l), network.Weight(l));
            result[network.Bias(l)] = Block(previous.Bias(l), network.Bias(l));
        }
        return result;
    }

    private static (float[], bool[]) Block(Tensor old, Tensor current)
    {
        int rows = current.Shape[0], columns = current.Shape.Rank == 2 ? current.Shape[1] : 1;
        int oldRows = old.Shape[0], oldColumns = old.Shape.Rank == 2 ? old.Shape[1] : 1;
        var (anchor, mask) = (new float[rows * columns], new bool[rows * columns]);
        var values = old.Span;
        for (int r = 0; r < Math.Min(rows, oldRows); r++)
            for (int c = 0; c < Math.Min(columns, oldColumns); c++) (anchor[r * columns + c], mask[r * columns + c]) = (values[r * oldColumns + c], true);
        return (anchor, mask);
    }
}

/// <summary>DEN's group-lasso groups: element indices of one parameter whose ℓ₂ norm is shrunk together.</summary>
internal sealed class Groups : List<(Parameter Parameter, int[] Indices)>
{
    /// <summary>For each unit added by expansion (at or above <paramref name="before"/>): its incoming weights, and its
    /// outgoing weights into the layer above or the head of <paramref name="head"/>.</summary>
    public static Groups OfNewUnits(DenNetwork network, int head, int[] before)
    {
        var result = new Groups();
        for (int l = 0; l < network.Depth; l++)
        {
            var weight = network.Weight(l);
            int columns = weight.Shape[1];
            var above = l + 1 < network.Depth ? network.Weight(l + 1) : network.Head(head).Weight;
            for (int u = before[l]; u < network.Widths[l]; u++)
            {
                result.Add((weight, [.. Enumerable.Range(u * columns, columns)]));
                result.Add((above, [.. Enumerable.Range(0, above.Shape[0]).Select(r => r * above.Shape[1] + u)]));
            }
        }
        return result;
    }

    /// <summary>The group-lasso proximal step: w_g ← w_g·max(0, 1 − λ/‖w_g‖₂).</summary>
    public void Shrink(float lambda)
    {
        if (lambda <= 0) return;
        foreach (var (parameter, indices) in this)
        {
            var values = parameter.Span;
            double norm = 0;
            foreach (int i in indices) norm += (double)values[i] * values[i];
            norm = Math.Sqrt(norm);
            float scale = norm <= lambda ? 0f : (float)(1 - lambda / norm);
            foreach (int i in indices) values[i] *= scale;
        }
    }
}
