namespace Lifelong.Pretrained;

/// <summary>What a delta mask keeps or drops as one piece.</summary>
public enum MaskGroups
{
    /// <summary>Every coordinate on its own.</summary>
    Coordinates,

    /// <summary>Whole units: row i of a weight (its dimension 0) together with element i of the bias beside it
    /// (<c>x.bias</c> next to <c>x.weight</c>); any other vector is split into its elements.</summary>
    Units,

    /// <summary>Whole attention heads: the q, k and v rows of a head in <c>attn.qkv.weight</c>/<c>attn.qkv.bias</c> and its
    /// columns of <c>attn.proj.weight</c> go together; every other parameter is grouped by <see cref="Units"/>.</summary>
    Heads,
}
