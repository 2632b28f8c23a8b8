using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>DEN's network: ReLU layers that grow, a head per task, and each task served only by the units that existed
/// when it was learned (its time stamp).</summary>
/// <remarks>
/// <para>Units of a layer are ordered by the time they were added, so the units a task may use are a prefix of every
/// layer: task h with stamp (s₁..s_L) computes aₗ = ReLU(Wₗ[:sₗ, :sₗ₋₁]·aₗ₋₁ + bₗ[:sₗ]) and logits V_h·a_L + c_h. Units
/// added later — by expansion or as split copies — never reach an earlier task, which is how DEN keeps their outputs.</para>
/// <para>The shapes are fixed for an instance: DEN grows by building a larger <see cref="DenNetwork"/> from the old
/// one's values (<see cref="DenSurgery"/>) and putting it into the model. Parameter names are the MLP's (<c>fc1.weight</c>)
/// plus <c>heads.{task}.weight</c>. A head that does not exist yet (a task not trained) outputs zeros.</para>
/// </remarks>
public sealed class DenNetwork : Module, IHiddenFeatures, IHeadRoutedNetwork
{
    private readonly Dense[] _layers;
    private readonly Dictionary<int, Dense> _heads = [];
    private readonly Dictionary<int, int[]> _stamps;
    private readonly string[] _hiddenNames;

    /// <summary>A network with the given layer values, heads and stamps (copied).</summary>
    /// <param name="classes">Outputs per head.</param>
    /// <param name="headCount">Heads the model addresses (one per task of the stream).</param>
    /// <param name="layers">Hidden layers, input side first: weight (nₗ, nₗ₋₁) and bias (nₗ).</param>
    /// <param name="heads">Existing heads by task: weight (classes, width of the top layer at that task) and bias (classes).</param>
    /// <param name="stamps">Widths (n₁..n_L) at the end of each finished task; a head without a stamp uses every unit.</param>
    public DenNetwork(int classes, int headCount, IReadOnlyList<(Tensor Weight, Tensor Bias)> layers,
        IReadOnlyDictionary<int, (Tensor Weight, Tensor Bias)> heads, IReadOnlyDictionary<int, int[]> stamps)
    {
        if (layers.Count == 0) throw new ArgumentException("DenNetwork: at least one hidden layer.", nameof(layers));
        (Classes, HeadCount) = (classes, headCount);
        Inputs = layers[0].Weight.Shape[1];
        _layers = new Dense[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var (w, b) = layers[l];
            int fanIn = l == 0 ? Inputs : layers[l - 1].Weight.Shape[0];
            if (w.Shape.Rank != 2 || w.Shape[1] != fanIn || b.Shape != new Shape(w.Shape[0]))
                throw new ArgumentException($"DenNetwork: layer {l + 1} has weight {w.Shape} and bias {b.Shape}; expected ({{n}}, {fanIn}) and ({{n}}).", nameof(layers));
            _layers[l] = AddModule($"fc{l + 1}", new Dense(w, b));
        }
        _hiddenNames = [.. Enumerable.Range(1, layers.Count).Select(l => $"fc{l}")];
        _stamps = stamps.ToDictionary(s => s.Key, s => (int[])s.Value.Clone());
        foreach (var (head, stamp) in _stamps)
            if (stamp.Length != layers.Count || stamp.Where((s, l) => s < 0 || s > Widths[l]).Any())
                throw new ArgumentException($"DenNetwork: the stamp of task {head}, [{string.Join(", ", stamp)}], does not fit widths [{string.Join(", ", Widths)}].", nameof(stamps));
        var headSet = AddModule("heads", new HeadSet());
        foreach (var (head, (w, b)) in heads.OrderBy(h => h.Key))
        {
            int width = WidthsOf(head)[^1];
            if ((uint)head >= (uint)headCount || w.Shape != new Shape(classes, width) || b.Shape != new Shape(classes))
                throw new ArgumentException($"DenNetwork: head {head} has weight {w.Shape} and bias {b.Shape}; expected ({classes}, {width}) and ({classes}) for one of {headCount} heads.", nameof(heads));
            _heads[head] = headSet.Add(head, new Dense(w, b));
        }
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Outputs per head.</summary>
    public int Classes { get; }

    /// <summary>Heads the model addresses.</summary>
    public int HeadCount { get; }

    /// <summary>Number of hidden layers.</summary>
    public int Depth => _layers.Length;

    /// <summary>Current width of every hidden layer.</summary>
    public int[] Widths => [.. _layers.Select(l => l.Weight.Shape[0])];

    /// <summary>Hidden layer <paramref name="l"/> (0-based): weight (nₗ, nₗ₋₁).</summary>
    public Parameter Weight(int l) => _layers[l].Weight;

    /// <summary>Hidden layer <paramref name="l"/>'s bias (nₗ).</summary>
    public Parameter Bias(int l) => _layers[l].Bias;

    /// <summary>The tasks that have a head.</summary>
    public IEnumerable<int> HeadIds => _heads.Keys.Order();

    /// <summary>Task <paramref name="head"/>'s head: weight (classes, width) and bias.</summary>
    public (Parameter Weight, Parameter Bias) Head(int head) =>
        _heads.TryGetValue(head, out var dense) ? (dense.Weight, dense.Bias) : throw new ArgumentOutOfRangeException(nameof(head), head, "DenNetwork: no such head.");

    /// <summary>The finished tasks' stamps.</summary>
    public IReadOnlyDictionary<int, int[]> Stamps => _stamps;

    /// <summary>The widths task <paramref name="head"/> uses: its stamp, or every unit when it has none (the task in training).</summary>
    public int[] WidthsOf(int head) => _stamps.TryGetValue(head, out var stamp) ? stamp : Widths;

    /// <summary>An independent copy: the same values, heads and stamps.</summary>
    public DenNetwork Copy() => With(_stamps);

    /// <summary>A copy in which task <paramref name="head"/> is stamped with the current widths: from now on it is served by
    /// the units that exist now.</summary>
    public DenNetwork Stamped(int head) => With(new Dictionary<int, int[]>(_stamps) { [head] = Widths });

    private DenNetwork With(IReadOnlyDictionary<int, int[]> stamps) =>
        new(Classes, HeadCount, [.. _layers.Select(l => ((Tensor)l.Weight.Clone(), (Tensor)l.Bias.Clone()))],
            _heads.ToDictionary(h => h.Key, h => ((Tensor)h.Value.Weight.Clone(), (Tensor)h.Value.Bias.Clone())), stamps);

    /// <summary>Every head's logits, (N, heads × classes); heads that do not exist yet give zeros.</summary>
    public override Tensor Forward(Tensor x) => TensorMath.Concat([.. Enumerable.Range(0, HeadCount).Select(h => ForwardHead(x, h, null))], 1);

    /// <inheritdoc/>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> heads)
    {
        int n = x.Shape[0];
        if (heads.Length != n) throw new ArgumentException($"DenNetwork: {heads.Length} head ids for {n} samples.", nameof(heads));
        int first = n == 0 ? 0 : heads[0];
        bool single = true;
        foreach (int h in heads) single &= h == first;
        if (single) return ForwardHead(x, first, null);

        // Mixed heads (replay of several tasks): run each head on its rows, then put the rows back in order.
        var groups = new List<Tensor>();
        var order = new List<int>(n);
        int[] ids = heads.ToArray();
        foreach (int head in ids.Distinct())
        {
            var rows = Enumerable.Range(0, n).Where(i => ids[i] == head).ToArray();
            groups.Add(ForwardHead(TakeRows(x, rows), head, null));
            order.AddRange(rows);
        }
        var inverse = new int[n];
        for (int position = 0; position < n; position++) inverse[order[position]] = position;
        return TakeRows(TensorMath.Concat(groups, 0), inverse);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> HiddenLayerNames => _hiddenNames;

    /// <summary>Every unit's activations (the widths of the task in training) and every head's logits.</summary>
    public HiddenForward ForwardWithFeatures(Tensor x)
    {
        var hidden = new List<Tensor>(Depth);
        ForwardHead(x, -1, hidden);
        return new HiddenForward(Forward(x), hidden);
    }

    private Tensor ForwardHead(Tensor x, int head, List<Tensor>? hidden)
    {
        var widths = WidthsOf(head);
        int below = Inputs;
        for (int l = 0; l < _layers.Length; l++)
        {
            Tensor w = Resolve(_layers[l].Weight), b = Resolve(_layers[l].Bias);
            if (w.Shape[0] != widths[l]) (w, b) = (w.Slice(0, 0, widths[l]), b.Slice(0, 0, widths[l]));
            if (w.Shape[1] != below) w = w.Slice(1, 0, below);
            x = F.Linear(x, w, b).Relu();
            hidden?.Add(x);
            below = widths[l];
        }
        if (!_heads.TryGetValue(head, out var output)) return Tensor.Zeros(x.Shape[0], Classes);
        return F.Linear(x, Resolve(output.Weight), Resolve(output.Bias));
    }

    private static Tensor TakeRows(Tensor x, int[] rows)
    {
        int width = x.Size / Math.Max(1, x.Shape[0]);
        var indices = new int[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < width; j++) indices[i * width + j] = rows[i] * width + j;
        var dims = x.Shape.ToArray();
        dims[0] = rows.Length;
        return x.Take(indices, new Shape(dims));
    }

    /// <summary>A weight and a bias, registered as <c>weight</c> and <c>bias</c>.</summary>
    private sealed class Dense : Module
    {
        public Dense(Tensor weight, Tensor bias)
        {
            Weight = AddParameter("weight", new Parameter(weight));
            Bias = AddParameter("bias", new Parameter(bias));
        }

        public Parameter Weight { get; }

        public Parameter Bias { get; }

        public override Tensor Forward(Tensor x) => F.Linear(x, Resolve(Weight), Resolve(Bias));
    }

    /// <summary>The heads, registered by task id.</summary>
    private sealed class HeadSet : Module
    {
        public Dense Add(int head, Dense dense) => AddModule(head.ToString(System.Globalization.CultureInfo.InvariantCulture), dense);

        public override Tensor Forward(Tensor x) => throw new NotSupportedException("DenNetwork's heads are called one by one.");
    }
}
