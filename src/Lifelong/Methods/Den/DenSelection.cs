namespace Lifelong.Methods;

/// <summary>DEN's selection of the subnetwork a new task retrains: breadth-first from the new head down to the inputs.</summary>
public static class DenSelection
{
    /// <summary>The selected units of each hidden layer (input side first): in the top layer those with a non-zero weight
    /// into any output of <paramref name="head"/>; below, those with a non-zero weight into a selected unit of the layer above.</summary>
    public static IReadOnlyList<HashSet<int>> Select(DenNetwork network, int head)
    {
        var selected = new HashSet<int>[network.Depth];
        var headWeight = network.Head(head).Weight;
        selected[^1] = NonZeroColumns(headWeight.Span, headWeight.Shape[0], headWeight.Shape[1], Enumerable.Range(0, headWeight.Shape[0]));
        for (int l = network.Depth - 1; l >= 1; l--)
        {
            var weight = network.Weight(l);
            selected[l - 1] = NonZeroColumns(weight.Span, weight.Shape[0], weight.Shape[1], selected[l]);
        }
        return selected;
    }

    private static HashSet<int> NonZeroColumns(ReadOnlySpan<float> weight, int rows, int columns, IEnumerable<int> fromRows)
    {
        var result = new HashSet<int>();
        foreach (int r in fromRows)
            for (int c = 0; c < columns; c++)
                if (weight[r * columns + c] != 0f) result.Add(c);
        return result;
    }
}
