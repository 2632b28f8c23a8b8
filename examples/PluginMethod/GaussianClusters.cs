using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Scenarios;
using Lifelong.Tensors;

namespace PluginMethod;

/// <summary>Options of <see cref="GaussianClusters"/>.</summary>
/// <param name="Tasks">Tasks in the stream.</param>
/// <param name="Classes">Classes per task (one shared head).</param>
/// <param name="Side">Images are Side × Side pixels, so the inputs have Side² features.</param>
/// <param name="TrainPerClass">Training images per class and task.</param>
/// <param name="TestPerClass">Test images per class and task.</param>
/// <param name="Spread">Standard deviation of the pixels around their class's centre.</param>
/// <param name="Steps">Steps per task.</param>
/// <param name="BatchSize">Batch size.</param>
/// <remarks>The range attributes are checked by the command line before anything runs, as for the library's own options.</remarks>
public sealed record GaussianClustersOptions([Positive(Max = 1_000)] int Tasks = 3, [Between(2, 100)] int Classes = 4, [Positive(Max = 64)] int Side = 4,
    [Positive(Max = 100_000)] int TrainPerClass = 100, [Positive(Max = 100_000)] int TestPerClass = 50, [NonNegative] float Spread = 0.1f,
    [Positive] int Steps = 100, [Positive(Max = 100_000)] int BatchSize = 16);

/// <summary>A synthetic stream needing no download: each task draws new class centres in [0.2, 0.8]^(Side²), and its images
/// are those centres plus Gaussian noise, clipped to [0, 1]. Learning a task means finding its centres; the next task moves them.</summary>
public sealed class GaussianClusters : Scenario
{
    /// <summary>The command-line name.</summary>
    public const string ScenarioName = "gaussian-clusters";

    private readonly GaussianClustersOptions _options;

    /// <summary>The stream for <paramref name="seed"/>.</summary>
    public GaussianClusters(ulong seed, GaussianClustersOptions options) : base(ScenarioName, seed) => _options = options;

    /// <inheritdoc/>
    public override int TaskCount => _options.Tasks;

    /// <inheritdoc/>
    public override int OutputCount => _options.Classes;

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        var rng = new Rng(Seed).Split("task").Split(id);
        var shape = new ImageShape(1, _options.Side, _options.Side);
        var centres = new float[_options.Classes * shape.Size];
        rng.Split("centres").FillUniform(centres, 0.2f, 0.8f);
        return new ContinualTask(id, $"clusters {id}", Range(_options.Classes),
            () => Sample(shape, centres, _options.TrainPerClass, rng.Split("train"), $"{Name}/{id}/train"),
            () => Sample(shape, centres, _options.TestPerClass, rng.Split("test"), $"{Name}/{id}/test"),
            _options.Steps, _options.BatchSize);
    }

    private Dataset Sample(ImageShape shape, float[] centres, int perClass, Rng rng, string name)
    {
        int count = perClass * _options.Classes, size = shape.Size;
        var pixels = new float[count * size];
        var labels = new int[count];
        rng.FillNormal(pixels, 0f, _options.Spread);
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % _options.Classes;
            for (int j = 0; j < size; j++)
                pixels[i * size + j] = Math.Clamp(pixels[i * size + j] + centres[labels[i] * size + j], 0f, 1f);
        }
        return Dataset.FromFloats(name, shape, pixels, labels, _options.Classes);
    }
}
