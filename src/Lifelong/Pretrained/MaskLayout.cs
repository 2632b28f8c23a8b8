namespace Lifelong.Pretrained;

/// <summary>The groups a mask keeps or drops as one piece: for every coordinate of every tensor, the group it belongs to,
/// and the groups partitioned into owners (the groups that compete in one importance ranking, drawn from one random stream).</summary>
/// <remarks>See <see cref="MaskGroups"/> for what a group is. Groups are numbered 0..<see cref="Count"/>−1.</remarks>
internal sealed class MaskLayout
{
    private readonly Dictionary<string, int[]> _groupOf = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Owner, int Index), int> _ids = [];
    private readonly List<(string Owner, List<int> Groups)> _owners = [];
    private readonly Dictionary<string, int> _ownerIndex = new(StringComparer.Ordinal);

    /// <summary>Number of groups.</summary>
    public int Count => _ids.Count;

    /// <summary>The owners in the order first met, each with its groups in increasing index.</summary>
    public IReadOnlyList<(string Owner, List<int> Groups)> Owners => _owners;

    /// <summary>The group of each coordinate of tensor <paramref name="name"/>.</summary>
    public int[] GroupOf(string name) => _groupOf[name];

    /// <summary>The layout of <paramref name="tensors"/> under <paramref name="groups"/>.</summary>
    /// <param name="tensors">Named tensors (deltas); only names and shapes are read.</param>
    /// <param name="groups">The grouping.</param>
    /// <param name="heads">Attention heads per <c>attn</c> module; needed (≥ 1) only for <see cref="MaskGroups.Heads"/>.</param>
    public static MaskLayout Of(IReadOnlyDictionary<string, Tensor> tensors, MaskGroups groups, int heads = 0)
    {
        if (groups == MaskGroups.Heads && heads < 1) throw new ArgumentException("Head masks need the number of attention heads (≥ 1).", nameof(heads));
        var layout = new MaskLayout();
        foreach (var (name, tensor) in tensors)
        {
            var shape = tensor.Shape;
            var ids = new int[tensor.Size];
            int rows = shape.Rank == 0 ? 1 : shape[0], rowSize = shape.Rank == 0 ? 1 : tensor.Size / Math.Max(1, rows);
            string prefix = name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : name;
            bool biasOfWeight = name.EndsWith(".bias", StringComparison.Ordinal) && shape.Rank == 1
                && tensors.TryGetValue(prefix + ".weight", out var weight) && weight.Shape.Rank >= 2 && weight.Shape[0] == shape[0];
            for (int i = 0; i < ids.Length; i++)
            {
                (string owner, int index) = groups switch
                {
                    MaskGroups.Coordinates => (name, i),
                    MaskGroups.Heads when prefix.EndsWith("attn.qkv", StringComparison.Ordinal) =>
                        (prefix[..^4], i / rowSize % (rows / 3) / (rows / 3 / heads)),
                    MaskGroups.Heads when name.EndsWith("attn.proj.weight", StringComparison.Ordinal) =>
                        (prefix[..^5], i % rowSize / (rowSize / heads)),
                    _ when shape.Rank >= 2 => (prefix, i / rowSize),
                    _ when biasOfWeight => (prefix, i),
                    _ => (name, i),
                };
                ids[i] = layout.Id(owner, index);
            }
            layout._groupOf[name] = ids;
        }
        foreach (var (_, list) in layout._owners) list.Sort();
        return layout;
    }

    private int Id(string owner, int index)
    {
        if (_ids.TryGetValue((owner, index), out int id)) return id;
        id = _ids.Count;
        _ids[(owner, index)] = id;
        if (!_ownerIndex.TryGetValue(owner, out int o))
        {
            o = _owners.Count;
            _ownerIndex[owner] = o;
            _owners.Add((owner, []));
        }
        _owners[o].Groups.Add(id);
        return id;
    }
}
