using Lifelong.NN;

namespace Lifelong.Pretrained;

/// <summary>What <see cref="PretrainedCheckpoint.Load(Module, string)"/> did.</summary>
/// <param name="Loaded">Parameters set from the file, by name.</param>
/// <param name="HeadKept">Head parameters left as initialised because the file's head has another shape (another number of classes).</param>
public sealed record CheckpointLoad(IReadOnlyList<string> Loaded, IReadOnlyList<string> HeadKept);

/// <summary>Pretrained weights in safetensors, matched to a network by parameter name (timm's names for <see cref="Vit"/>).</summary>
/// <remarks>
/// Loading is strict about the backbone: every parameter outside <c>head.*</c> must be in the file with the network's exact
/// shape, and the file may hold nothing the network lacks; otherwise nothing is loaded and the error lists each mismatch
/// (a timm ViT-B/16 file refused by a small ViT names its depth, width and patch differences this way). The head is loaded
/// when its shape matches and otherwise kept as initialised, since a target task usually has other classes than the
/// source. F16, BF16 and F64 tensors (timm files are often half precision) are converted to F32 by <see cref="SafeTensors.Load"/>.
/// </remarks>
public static class PretrainedCheckpoint
{
    /// <summary>The backbone's file in a <c>lifelong pretrain</c> run directory; <c>checkpoint=DIR</c> loads it.</summary>
    public const string BackboneFile = "backbone.safetensors";

    /// <summary>Loads <paramref name="path"/> (a safetensors file, or a <c>lifelong pretrain</c> run directory) into <paramref name="network"/>.</summary>
    /// <exception cref="InvalidDataException">The file does not fit the network (the message lists every mismatch), was
    /// damaged or edited after it was written (a checksum does not match), or holds NaN or infinite weights.</exception>
    public static CheckpointLoad Load(Module network, string path)
    {
        // A `lifelong pretrain` run directory stands for the backbone it holds.
        if (Directory.Exists(path)) path = Path.Combine(path, BackboneFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist.", path);
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (SafeTensorsException e)
        {
            throw new InvalidDataException($"{e.Message} Use an intact copy of the checkpoint, or make it again (lifelong pretrain).", e);
        }
        return Load(network, file.Tensors, path);
    }

    /// <summary>Loads named <paramref name="tensors"/> into <paramref name="network"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">The tensors do not fit the network (the message lists every mismatch) or hold NaN or infinite values.</exception>
    public static CheckpointLoad Load(Module network, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        try
        {
            SafeTensors.RequireFinite(tensors, source);
        }
        catch (SafeTensorsException e)
        {
            throw new InvalidDataException($"{e.Message} Pretrain the model again (with a smaller learning rate if it diverged) and load that checkpoint.", e);
        }
        var parameters = network.NamedParameters().ToList();
        var problems = new List<string>();
        foreach (var (name, parameter) in parameters)
        {
            if (!tensors.TryGetValue(name, out var value))
            {
                if (!Backbone.IsHead(name)) problems.Add($"'{name}' {parameter.Shape} is missing from the file");
            }
            else if (value.Shape != parameter.Shape && !Backbone.IsHead(name))
                problems.Add($"'{name}' is {value.Shape} in the file, {parameter.Shape} in the model");
        }
        var known = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var extra = tensors.Keys.Where(k => !known.Contains(k)).Select(k => $"'{k}' {tensors[k].Shape} is in the file but not in the model").ToList();
        if (problems.Count > 0 || extra.Count > 0)
            throw new InvalidDataException($"checkpoint '{source}' does not fit this {network.GetType().Name} ({network.ParameterCount:N0} parameters): "
                + string.Join("; ", Abridged(problems).Concat(Abridged(extra)))
                + ". Build the model with the architecture the checkpoint was saved with (same width, depth, heads, patch and image size).");

        var loaded = new List<string>();
        var kept = new List<string>();
        using (Autograd.NoGrad())
            foreach (var (name, parameter) in parameters)
            {
                if (tensors.TryGetValue(name, out var value) && value.Shape == parameter.Shape)
                {
                    value.Span.CopyTo(parameter.Span);
                    loaded.Add(name);
                }
                else kept.Add(name);
            }
        return new CheckpointLoad(loaded, kept);
    }

    private static IEnumerable<string> Abridged(List<string> problems, int shown = 6) =>
        problems.Count <= shown ? problems : [.. problems.Take(shown), $"{problems.Count - shown} more like these"];

    /// <summary>Saves every parameter of <paramref name="network"/> under its name (timm's for a <see cref="Vit"/>), with <paramref name="metadata"/>.</summary>
    /// <exception cref="InvalidDataException">A parameter holds NaN or an infinity (training diverged): nothing is written,
    /// since no load would accept the file.</exception>
    public static void Save(Module network, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var broken = network.NamedParameters().FirstOrDefault(p => !System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Parameter.Span));
        if (broken.Name is not null)
            throw new InvalidDataException($"{path}: not saved: parameter '{broken.Name}' holds NaN or infinite values, so training diverged. Train again with a smaller learning rate.");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        SafeTensors.Save(path, network.NamedParameters().Select(p => KeyValuePair.Create(p.Name, (Tensor)p.Parameter)), metadata);
    }
}
