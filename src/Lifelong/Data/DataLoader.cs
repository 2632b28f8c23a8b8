using Lifelong.Tensors;

namespace Lifelong.Data;

/// <summary>Options of a <see cref="DataLoader"/>.</summary>
/// <param name="Shuffle">Visit samples in a fresh random order every epoch (true) or in dataset order.</param>
/// <param name="DropLast">Skip the last, smaller batch of an epoch.</param>
/// <param name="Normalization">Applied after the transforms; default <see cref="Normalization.UnitInterval"/> (pixels in [0, 1]).</param>
/// <param name="Transforms">Random augmentations, in order, on [0, 1] pixels (e.g. <see cref="RandomCrop"/>, <see cref="HorizontalFlip"/>).</param>
/// <param name="Flatten">Produce (N, C·H·W) inputs for MLPs instead of (N, C, H, W).</param>
public sealed record DataLoaderOptions(
    bool Shuffle = true,
    bool DropLast = false,
    Normalization? Normalization = null,
    IReadOnlyList<IImageTransform>? Transforms = null,
    bool Flatten = false);

/// <summary>Turns a <see cref="Dataset"/> into minibatches: seeded shuffling, drop-last, augmentation, normalisation.</summary>
/// <remarks>
/// <see cref="Next"/> draws batches without end, reshuffling whenever an epoch is used up (a step budget can exceed one
/// epoch, as in the L2 Init benchmarks); <see cref="Epoch"/> yields exactly one fresh epoch. With the same
/// <see cref="Rng"/> seed the batches are identical, bit for bit.
/// </remarks>
public sealed class DataLoader
{
    private readonly Rng _shuffleRng;
    private readonly Rng _augmentRng;
    private readonly int[] _order;
    private int _cursor;

    /// <summary>A loader over <paramref name="data"/> giving batches of <paramref name="batchSize"/>, random streams split from <paramref name="rng"/>.</summary>
    public DataLoader(Dataset data, int batchSize, Rng rng, DataLoaderOptions? options = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: batch size must be positive.");
        if (data.Count == 0) throw new ArgumentException($"DataLoader: dataset '{data.Name}' is empty.", nameof(data));
        Options = options ?? new DataLoaderOptions();
        if (Options.DropLast && data.Count < batchSize)
            throw new ArgumentException($"DataLoader: with drop-last, dataset '{data.Name}' ({data.Count} samples) gives no batch of {batchSize}.", nameof(batchSize));
        (Data, BatchSize) = (data, batchSize);
        _shuffleRng = rng.Split("shuffle");
        _augmentRng = rng.Split("augment");
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _cursor = _order.Length; // the first Next() starts an epoch
    }

    /// <summary>The dataset batches come from.</summary>
    public Dataset Data { get; }

    /// <summary>Samples per batch (the last batch of an epoch may be smaller unless drop-last).</summary>
    public int BatchSize { get; }

    /// <summary>The loader's options.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Batches in one epoch: ⌊N / B⌋ with drop-last, ⌈N / B⌉ without.</summary>
    public int BatchesPerEpoch => Options.DropLast ? Data.Count / BatchSize : (Data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The next batch, starting a new (reshuffled) epoch when the current one is used up.</summary>
    public Batch Next()
    {
        int remaining = _order.Length - _cursor;
        if (remaining == 0 || (Options.DropLast && remaining < BatchSize))
        {
            if (Options.Shuffle) _shuffleRng.Shuffle(_order.AsSpan());
            _cursor = 0;
        }
        int count = Math.Min(BatchSize, _order.Length - _cursor);
        var indices = _order.AsSpan(_cursor, count).ToArray();
        _cursor += count;
        return Assemble(indices);
    }

    /// <summary>Exactly one fresh epoch of batches (abandoning any partly used epoch).</summary>
    public IEnumerable<Batch> Epoch()
    {
        _cursor = _order.Length;
        int batches = BatchesPerEpoch;
        for (int b = 0; b < batches; b++) yield return Next();
    }

    /// <summary><paramref name="steps"/> batches from <see cref="Next"/>, crossing epochs as needed.</summary>
    public IEnumerable<Batch> Steps(int steps)
    {
        for (int s = 0; s < steps; s++) yield return Next();
    }

    /// <summary>The loader's position: sample order, cursor and RNG states, enough to continue bit for bit after a resume.</summary>
    public DataLoaderState GetState() => new((int[])_order.Clone(), _cursor, _shuffleRng.GetState(), _augmentRng.GetState());

    /// <summary>Continues from a state taken with <see cref="GetState"/> on a loader over the same data.</summary>
    public void SetState(DataLoaderState state)
    {
        if (state.Order.Length != _order.Length)
            throw new ArgumentException($"DataLoader: the saved state covers {state.Order.Length} samples, dataset '{Data.Name}' has {_order.Length}.", nameof(state));
        if (state.Cursor < 0 || state.Cursor > _order.Length)
            throw new ArgumentException($"DataLoader: the saved cursor {state.Cursor} lies outside 0..{_order.Length}.", nameof(state));
        var seen = new bool[_order.Length];
        foreach (int i in state.Order)
        {
            if ((uint)i >= (uint)seen.Length || seen[i])
                throw new ArgumentException($"DataLoader: the saved order is not a permutation of the {_order.Length} samples (sample {i} is out of range or repeated).", nameof(state));
            seen[i] = true;
        }
        state.Order.CopyTo(_order, 0);
        _cursor = state.Cursor;
        _shuffleRng.SetState(state.ShuffleRng);
        _augmentRng.SetState(state.AugmentRng);
    }

    private Batch Assemble(int[] indices)
    {
        var shape = Data.Shape;
        int size = shape.Size;
        var inputs = new float[indices.Length * size]; // (N, C, H, W) row-major
        var labels = new int[indices.Length];
        var normalization = Options.Normalization ?? Normalization.UnitInterval;
        for (int i = 0; i < indices.Length; i++)
        {
            var image = inputs.AsSpan(i * size, size);
            Data.CopyImage(indices[i], image);
            if (Options.Transforms is { } transforms)
                foreach (var transform in transforms) transform.Apply(image, shape, _augmentRng);
            normalization.Apply(image, shape);
            labels[i] = Data.Labels[indices[i]];
        }
        int[] batchShape = Options.Flatten ? [indices.Length, size] : [indices.Length, shape.Channels, shape.Height, shape.Width];
        return new Batch(inputs, batchShape, labels, indices);
    }
}

/// <summary>A <see cref="DataLoader"/>'s position in its stream of batches.</summary>
/// <param name="Order">The current epoch's sample order.</param>
/// <param name="Cursor">How many samples of the epoch were used.</param>
/// <param name="ShuffleRng">State of the shuffling RNG.</param>
/// <param name="AugmentRng">State of the augmentation RNG.</param>
public sealed record DataLoaderState(int[] Order, int Cursor, ulong[] ShuffleRng, ulong[] AugmentRng);
