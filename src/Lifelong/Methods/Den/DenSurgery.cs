using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>The structural operations of DEN, each building a new <see cref="DenNetwork"/> from an old one: add a head,
/// add units, remove units, split drifted units.</summary>
/// <remarks>New weights are drawn as PyTorch's default for a linear layer of their fan-in, U(−1/√fan_in, 1/√fan_in).</remarks>
public static class DenSurgery
{
    /// <summary>The values of a layer or head, as a plain row-major matrix and bias, for editing.</summary>
    private sealed class Block(float[] weight, int rows, int columns, float[] bias)
    {
        public float[] Weight = weight;
        public int Rows = rows, Columns = columns;
        public float[] Bias = bias;

        public static Block Of(Tensor weight, Tensor bias) => new(weight.ToArray(), weight.Shape[0], weight.Shape[1], bias.ToArray());

        public (Tensor, Tensor) ToTensors() => (Tensor.FromArray(Weight, Rows, Columns), Tensor.FromArray(Bias, Rows));

        public float this[int row, int column]
        {
            get => Weight[row * Columns + column];
            set => Weight[row * Columns + column] = value;
        }

        /// <summary>Grows to <paramref name="rows"/> × <paramref name="columns"/>, keeping the old values top-left; new entries from <paramref name="fill"/>.</summary>
        public void Resize(int rows, int columns, Func<int, int, float> fill, Func<int, float> fillBias)
        {
            var weight = new float[rows * columns];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    weight[r * columns + c] = r < Rows && c < Columns ? this[r, c] : fill(r, c);
            var bias = new float[rows];
            for (int r = 0; r < rows; r++) bias[r] = r < Rows ? Bias[r] : fillBias(r);
            (Weight, Rows, Columns, Bias) = (weight, rows, columns, bias);
        }

        /// <summary>Keeps the listed rows (and bias entries) and columns, in order.</summary>
        public void Keep(int[] rows, int[] columns)
        {
            var weight = new float[rows.Length * columns.Length];
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < columns.Length; c++) weight[r * columns.Length + c] = this[rows[r], columns[c]];
            (Weight, Bias) = (weight, [.. rows.Select(r => Bias[r])]);
            (Rows, Columns) = (rows.Length, columns.Length);
        }
    }

    /// <summary>Adds a head for task <paramref name="head"/> over every current unit of the top layer.</summary>
    public static DenNetwork AddHead(DenNetwork network, int head, Rng rng)
    {
        var (layers, heads) = Blocks(network);
        int width = network.Widths[^1];
        float bound = 1f / MathF.Sqrt(width);
        heads[head] = new Block([.. Enumerable.Range(0, network.Classes * width).Select(_ => Uniform(rng, bound))], network.Classes, width,
            [.. Enumerable.Range(0, network.Classes).Select(_ => Uniform(rng, bound))]);
        return Build(network, layers, heads);
    }

    /// <summary>Adds <paramref name="units"/> units to every hidden layer. A new unit takes input from every unit below (old
    /// and new) and feeds every unit above and the head of <paramref name="head"/>; old units of the layer above get
    /// weights from the new units too. Earlier tasks' stamps exclude all of it, so their outputs do not change.</summary>
    public static DenNetwork Expand(DenNetwork network, int units, int head, Rng rng)
    {
        var (layers, heads) = Blocks(network);
        for (int l = 0; l < layers.Length; l++)
        {
            var block = layers[l];
            int columns = l == 0 ? block.Columns : layers[l - 1].Rows;
            float bound = 1f / MathF.Sqrt(columns);
            block.Resize(block.Rows + units, columns, (_, _) => Uniform(rng, bound), _ => Uniform(rng, bound));
        }
        var current = heads[head];
        float headBound = 1f / MathF.Sqrt(layers[^1].Rows);
        current.Resize(current.Rows, layers[^1].Rows, (_, _) => Uniform(rng, headBound), _ => 0f);
        return Build(network, layers, heads);
    }

    /// <summary>Removes units <paramref name="units"/> of hidden layer <paramref name="layer"/> with their incoming and outgoing
    /// weights (in the layer above, or in the head of <paramref name="head"/>). Only units no finished task uses may go.</summary>
    public static DenNetwork RemoveUnits(DenNetwork network, int layer, IReadOnlyCollection<int> units, int head)
    {
        if (units.Count == 0) return network;
        int stamped = network.Stamps.Values.Select(s => s[layer]).DefaultIfEmpty(0).Max();
        if (units.Any(u => u < stamped))
            throw new ArgumentException($"DenSurgery: units [{string.Join(", ", units.Where(u => u < stamped))}] of layer {layer + 1} serve a finished task and cannot be removed.", nameof(units));
        var (layers, heads) = Blocks(network);
        var drop = units.ToHashSet();
        int[] keep = [.. Enumerable.Range(0, layers[layer].Rows).Where(u => !drop.Contains(u))];
        layers[layer].Keep(keep, [.. Enumerable.Range(0, layers[layer].Columns)]);
        var above = layer + 1 < layers.Length ? layers[layer + 1] : heads[head];
        above.Keep([.. Enumerable.Range(0, above.Rows)], keep);
        return Build(network, layers, heads);
    }

    /// <summary>Split and duplication (Yoon et al. 2018, §3): every unit that existed before the current task and whose
    /// incoming weights drifted by more than <paramref name="threshold"/> in ℓ₂ from <paramref name="previous"/> is split in
    /// two. The old copy gets back its previous incoming weights, bias and outgoing weights, so earlier tasks see the unit
    /// exactly as they learned it; a new copy, appended to the layer, takes the current incoming weights, bias and outgoing
    /// weights and serves the current task. Split units of the layer below feed the new copy through their own new copies.</summary>
    /// <param name="network">The network after training the current task.</param>
    /// <param name="previous">The network at the end of the previous task (its widths are the old units).</param>
    /// <param name="head">The current task's head.</param>
    /// <param name="threshold">σ: the drift above which a unit is split.</param>
    /// <param name="maxPerLayer">At most this many units per layer, the largest drifts first; 0: no limit (the paper).</param>
    /// <returns>The new network and the number of units split in each layer.</returns>
    public static (DenNetwork Network, int[] Split) Split(DenNetwork network, DenNetwork previous, int head, double threshold, int maxPerLayer = 0)
    {
        var (layers, heads) = Blocks(network);
        var (old, _) = Blocks(previous);
        // Drifts are measured on the trained weights, before any surgery, over the weights each unit had before this task.
        var chosen = new int[layers.Length][];
        for (int l = 0; l < layers.Length; l++)
        {
            var (block, before) = (layers[l], old[l]);
            var drifted = Enumerable.Range(0, before.Rows).Select(i =>
            {
                double sum = 0;
                for (int j = 0; j < before.Columns; j++) sum += Math.Pow(block[i, j] - before[i, j], 2);
                return (Unit: i, Drift: Math.Sqrt(sum));
            }).Where(d => d.Drift > threshold).OrderByDescending(d => d.Drift).Select(d => d.Unit);
            chosen[l] = [.. maxPerLayer > 0 ? drifted.Take(maxPerLayer) : drifted];
        }

        var twinsBelow = new Dictionary<int, int>();   // split unit of the layer below → its new copy
        for (int l = 0; l < layers.Length; l++)
        {
            var (block, before, units) = (layers[l], old[l], chosen[l]);
            var current = Block.Of(Tensor.FromArray(block.Weight, block.Rows, block.Columns), Tensor.FromArray(block.Bias, block.Rows));
            int rows = block.Rows;
            block.Resize(rows + units.Length, block.Columns, (_, _) => 0f, _ => 0f);
            var twins = new Dictionary<int, int>();
            for (int k = 0; k < units.Length; k++)
            {
                int unit = units[k], twin = rows + k;
                twins[unit] = twin;
                // The new copy: the current unit, reading split units below through their new copies.
                for (int j = 0; j < block.Columns; j++) block[twin, j] = current[unit, j];
                foreach (var below in twinsBelow.Keys) block[twin, below] = 0f;   // its trained weight now sits on the twin's column
                block.Bias[twin] = current.Bias[unit];
                // The old copy: its previous incoming weights; nothing from units added since.
                for (int j = 0; j < block.Columns; j++) block[unit, j] = j < before.Columns ? before[unit, j] : 0f;
                block.Bias[unit] = before.Bias[unit];
            }

            // The layer above (or the current head) reads the new copies with the current outgoing weights; the old copies
            // feed the units that existed before with their previous weights, and nothing that is new.
            var above = l + 1 < layers.Length ? layers[l + 1] : heads[head];
            var aboveBefore = l + 1 < layers.Length ? old[l + 1] : null;
            var aboveCurrent = Block.Of(Tensor.FromArray(above.Weight, above.Rows, above.Columns), Tensor.FromArray(above.Bias, above.Rows));
            above.Resize(above.Rows, above.Columns + units.Length, (_, _) => 0f, _ => 0f);
            foreach (var (unit, twin) in twins)
                for (int r = 0; r < above.Rows; r++)
                {
                    above[r, twin] = aboveCurrent[r, unit];
                    above[r, unit] = aboveBefore is not null && r < aboveBefore.Rows ? aboveBefore[r, unit] : 0f;
                }
            twinsBelow = twins;
        }
        return (Build(network, layers, heads), [.. chosen.Select(c => c.Length)]);
    }

    private static (Block[] Layers, Dictionary<int, Block> Heads) Blocks(DenNetwork network) =>
        ([.. Enumerable.Range(0, network.Depth).Select(l => Block.Of(network.Weight(l), network.Bias(l)))],
         network.HeadIds.ToDictionary(h => h, h => Block.Of(network.Head(h).Weight, network.Head(h).Bias)));

    private static DenNetwork Build(DenNetwork network, Block[] layers, Dictionary<int, Block> heads) =>
        new(network.Classes, network.HeadCount, [.. layers.Select(b => b.ToTensors())], heads.ToDictionary(h => h.Key, h => h.Value.ToTensors()), network.Stamps);

    private static float Uniform(Rng rng, float bound) => (2f * rng.NextFloat() - 1f) * bound;
}
