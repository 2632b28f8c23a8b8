using Lifelong.NN;

namespace Lifelong.Catalog;

/// <summary>Options of <c>--model mlp</c>; positional values are the hidden widths (<c>mlp:100,100</c>).</summary>
/// <param name="Hidden">Hidden widths, e.g. 100x100; two layers of 100 (the L2 Init paper's MLP) when absent.</param>
/// <param name="Activation">The hidden activation: relu, tanh, gelu or c-relu.</param>
/// <param name="LayerNorm">LayerNorm before each activation (an L2 Init baseline).</param>
/// <param name="LayerNormEps">LayerNorm's ε.</param>
/// <param name="MatchParameters">With c-relu: shrink the hidden widths by a common factor, as little as possible below 1, while the
/// parameter count stays at least that of the ReLU network with the given widths (the L2 Init paper's CReLU baseline: 100 → 91 on MNIST).</param>
public sealed record MlpModelOptions([Positive] int[]? Hidden = null, Activation Activation = Activation.Relu, bool LayerNorm = false, [Positive] float LayerNormEps = 1e-5f, bool MatchParameters = false)
{
    /// <summary>The hidden widths to build: <see cref="Hidden"/> (100x100 by default), reduced for a CReLU network with <see cref="MatchParameters"/>.</summary>
    public int[] Widths(int inputs, int outputs)
    {
        int[] widths = Hidden ?? [100, 100];
        if (!MatchParameters || Activation != Activation.CRelu) return widths;
        long target = Parameters(inputs, widths, outputs, 1);
        for (int percent = 50; percent <= 100; percent++)
        {
            int[] reduced = [.. widths.Select(w => Math.Max(1, (int)Math.Round(w * percent / 100.0)))];
            if (Parameters(inputs, reduced, outputs, 2) >= target) return reduced;
        }
        return widths;
    }

    /// <summary>The parameters of the network built for <paramref name="inputs"/> and <paramref name="outputs"/>, LayerNorm's included.</summary>
    public long ParameterCount(int inputs, int outputs)
    {
        int[] widths = Widths(inputs, outputs);
        return Parameters(inputs, widths, outputs, Activation == Activation.CRelu ? 2 : 1) + (LayerNorm ? 2L * widths.Sum(w => (long)w) : 0);
    }

    /// <summary>Weights and biases of an MLP whose hidden outputs are <paramref name="factor"/> times their width (2 for CReLU).</summary>
    public static long Parameters(int inputs, IReadOnlyList<int> hidden, int outputs, int factor)
    {
        long count = 0;
        int width = inputs;
        foreach (int h in hidden)
        {
            count += (long)width * h + h;
            width = h * factor;
        }
        return count + (long)width * outputs + outputs;
    }
}

/// <summary>Options of <c>--model vit</c>: a small vision transformer; the image size and classes come from the data.</summary>
/// <param name="PatchSize">Patch side; must divide the image side. Default: a quarter of the side, a 4×4 grid of patches
/// (7 for 28×28 MNIST, 8 for 32×32 CIFAR).</param>
/// <param name="Dim">Token width.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="MlpRatio">MLP width as a multiple of Dim.</param>
public sealed record VitModelOptions([Positive] int? PatchSize = null, [Positive(Max = 65_536)] int Dim = 64, [Positive(Max = 1_000)] int Depth = 2, [Positive(Max = 1_024)] int Heads = 4, [Positive] float MlpRatio = 2f)
{
    /// <summary>The patch side for images of side <paramref name="side"/>.</summary>
    /// <exception cref="ArgumentException">No patch size was given and the side is not a multiple of 4.</exception>
    public int PatchFor(int side) => PatchSize
        ?? (side % 4 == 0 ? side / 4 : throw new ArgumentException($"image side {side} is not a multiple of 4; give vit:patch-size=P with P dividing {side}."));

    /// <summary>The parameters of the transformer for <paramref name="input"/> and <paramref name="outputs"/>, to within the
    /// norms' few vectors: patch embedding, position and class tokens, per block attention (4·d²) and MLP (2·r·d²), head.</summary>
    public long ParameterCount(ImageShape input, int outputs)
    {
        long d = Dim, patch = Math.Max(1, PatchSize ?? input.Height / 4), tokens = (input.Height / patch) * (input.Width / patch) + 1;
        long hidden = (long)Math.Ceiling(MlpRatio * Dim);
        long block = 4 * d * d + 4 * d + 2 * d * hidden + hidden + d + 4 * d;
        return patch * patch * input.Channels * d + d + tokens * d + d + Depth * block + 2 * d + d * outputs + outputs;
    }
}

/// <summary>Options of <c>--model cnn</c>: <see cref="CnnOptions"/> with their valid ranges.</summary>
/// <param name="Channels">Filters in each convolution.</param>
/// <param name="KernelSize">Side of each convolution kernel.</param>
/// <param name="Padding">Zero padding of each convolution; 0 ("valid") as PyTorch's default, so 28×28 → 24 → 12 → 8 → 4.</param>
/// <param name="Hidden">Widths of the fully connected hidden layers; 100x100 when absent.</param>
/// <param name="Activation">The hidden activation; CReLU doubles convolution channels and fully connected widths.</param>
public sealed record CnnModelOptions([Positive(Max = 65_536)] int Channels = 16, [Positive(Max = 1_024)] int KernelSize = 5, [NonNegative(Max = 1_024)] int Padding = 0,
    [Positive] int[]? Hidden = null, Activation Activation = Activation.Relu)
{
    /// <summary>The network's options.</summary>
    public CnnOptions Network => new(Channels, KernelSize, Padding, Hidden, Activation);

    /// <summary>The parameters of the network for <paramref name="input"/> and <paramref name="outputs"/> (convolutions, then
    /// the fully connected layers on what two valid convolutions with pooling leave of the image).</summary>
    public long ParameterCount(ImageShape input, int outputs)
    {
        long factor = Activation == Activation.CRelu ? 2 : 1, kernel = (long)KernelSize * KernelSize;
        long count = input.Channels * kernel * Channels + Channels + Channels * factor * kernel * Channels + Channels;
        long side = input.Height;
        for (int i = 0; i < 2; i++) side = Math.Max(1, (side + 2L * Padding - KernelSize + 1) / 2);
        long width = Channels * factor * side * side;
        foreach (int h in Network.HiddenWidths)
        {
            count += width * h + h;
            width = h * factor;
        }
        return count + width * outputs + outputs;
    }
}

/// <summary>A network the catalog can build for given inputs and outputs.</summary>
/// <param name="Name">The command-line name.</param>
/// <param name="Description">One line on what it is.</param>
/// <param name="OptionsType">Its options record.</param>
/// <param name="FlatInputs">Whether it takes flattened (N, C·H·W) inputs.</param>
/// <param name="Build">Builds it for an input shape and output width with an init RNG.</param>
/// <param name="CountParameters">Its parameter count for bound options, an input shape and an output width, computed without
/// building it (for <see cref="Runs.MemoryEstimate"/>, which must refuse a network too large before allocating it).</param>
public sealed record ModelEntry(string Name, string Description, Type OptionsType, bool FlatInputs, Func<object, ImageShape, int, Rng, Module> Build,
    Func<object, ImageShape, int, long> CountParameters)
{
    /// <summary>Binds <paramref name="spec"/> (without building anything) and counts the parameters of the network it describes.</summary>
    public long ParameterCount(ComponentSpec spec, ImageShape input, int outputs) => CountParameters(BindOptions(spec), input, outputs);

    /// <summary>The options with defaults and docs.</summary>
    public IReadOnlyList<OptionInfo> Options => OptionBinder.Describe(OptionsType);

    /// <summary>The option every model takes besides its own: <c>checkpoint=PATH</c>, pretrained weights in safetensors loaded by
    /// name after the model is built (<see cref="Pretrained.PretrainedCheckpoint"/>: the backbone must match exactly, a head of
    /// another shape keeps its initialisation).</summary>
    public const string CheckpointOption = "checkpoint";

    /// <summary>Binds <paramref name="spec"/> and builds the network; positional values are the MLP's hidden widths; with
    /// <c>checkpoint=PATH</c> the weights are then loaded from that file.</summary>
    public Module Create(ComponentSpec spec, ImageShape input, int outputs, Rng rng)
    {
        spec.Options.TryGetValue(CheckpointOption, out string? checkpoint);
        var bound = BindOptions(spec);
        Module network;
        try
        {
            network = Build(bound, input, outputs, rng);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"model '{Name}': {ConfigurationException.Plain(e)}", e);
        }
        if (checkpoint is null) return network;
        try
        {
            Pretrained.PretrainedCheckpoint.Load(network, checkpoint);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new ConfigurationException($"model '{Name}': {ConfigurationException.Plain(e)}", e);
        }
        return network;
    }

    /// <summary>The options record <paramref name="spec"/> describes (positional values are the MLP's hidden widths; the
    /// checkpoint option is not part of it).</summary>
    public object BindOptions(ComponentSpec spec)
    {
        var options = new Dictionary<string, string>(spec.Options, StringComparer.Ordinal);
        options.Remove(CheckpointOption);
        if (spec.Positional.Count > 0)
        {
            if (Name != "mlp") throw new ConfigurationException($"model '{Name}': options must be key=value, got '{string.Join(",", spec.Positional)}'.");
            if (options.ContainsKey("hidden")) throw new ConfigurationException("model 'mlp': hidden widths given both positionally and as hidden=.");
            options["hidden"] = string.Join('x', spec.Positional);
        }
        return OptionBinder.Bind(OptionsType, options, $"model '{Name}'");
    }
}

/// <summary>The networks <c>lifelong run --model</c> knows.</summary>
public static class ModelCatalog
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<ModelEntry> _plugins = [];

    /// <summary>All models: the library's, then those of loaded plugins.</summary>
    public static IReadOnlyList<ModelEntry> All => [.. BuiltIn, .. Volatile.Read(ref _plugins)];

    /// <summary>Adds the models that <paramref name="assembly"/> (a plugin) exposes as public static ModelEntry properties or fields.</summary>
    /// <exception cref="ConfigurationException">One of them has the name of a model already known.</exception>
    public static void Register(System.Reflection.Assembly assembly)
    {
        lock (Gate)
        {
            var added = Plugins.Exposed<ModelEntry>(assembly).ToList();
            var taken = added.Select(a => a.Name).FirstOrDefault(name => All.Any(e => e.Name == name) || added.Count(a => a.Name == name) > 1);
            if (taken is not null) throw new ConfigurationException($"plugin {assembly.GetName().Name}: a model called '{taken}' already exists; give the plugin's another name.");
            Volatile.Write(ref _plugins, [.. _plugins, .. added]);
        }
    }

    private static IReadOnlyList<ModelEntry> BuiltIn { get; } =
    [
        new("mlp", "fully connected ReLU network (784-100-100-10 by default, as L2 Init)", typeof(MlpModelOptions), true, (o, input, outputs, rng) =>
        {
            var options = (MlpModelOptions)o;
            return new Mlp([input.Size, .. options.Widths(input.Size, outputs), outputs], rng, new MlpOptions(options.Activation, options.LayerNorm, options.LayerNormEps));
        }, (o, input, outputs) => ((MlpModelOptions)o).ParameterCount(input.Size, outputs)),
        new("cnn", "the L2 Init paper's small CNN: two 5×5 convolutions of 16 filters with max pooling, then 100-100", typeof(CnnModelOptions), false,
            (o, input, outputs, rng) => new Cnn(input.Channels, input.Height, outputs, rng, ((CnnModelOptions)o).Network),
            (o, input, outputs) => ((CnnModelOptions)o).ParameterCount(input, outputs)),
        new("vit", "a small vision transformer (4×4 patches, width 64, depth 2, 4 heads)", typeof(VitModelOptions), false, (o, input, outputs, rng) =>
        {
            var options = (VitModelOptions)o;
            return new Vit(new VitOptions(input.Height, options.PatchFor(input.Height), input.Channels, options.Dim, options.Depth, options.Heads, options.MlpRatio, true, outputs), rng);
        }, (o, input, outputs) => ((VitModelOptions)o).ParameterCount(input, outputs)),
    ];

    /// <summary>The model called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">Unknown name; the message lists the valid ones.</exception>
    public static ModelEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name.ToLowerInvariant())
        ?? throw new ConfigurationException($"unknown model '{name}'.{Spelling.Suggest(name, All.Select(e => e.Name))} Valid models: {string.Join(", ", All.Select(e => e.Name))}.");
}
