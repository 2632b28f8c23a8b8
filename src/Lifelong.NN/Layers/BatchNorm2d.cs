using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Batch normalization over the channels of (N, C, H, W) inputs: y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c, with μ and
/// σ² (biased) over N, H and W (Ioffe &amp; Szegedy 2015; PyTorch's <c>BatchNorm2d</c>).</summary>
/// <remarks>
/// <para>In training mode the batch's statistics are used and, with <c>trackRunningStats</c>, the running estimates
/// are updated as PyTorch does: r ← (1 − m)·r + m·batch, the variance unbiased (n/(n−1)). In evaluation mode the
/// running estimates are used. Without <c>trackRunningStats</c> the batch's statistics are used in both modes: the
/// transductive batch norm of MAML's official code, where every support or query set is normalized by its own
/// statistics (meta-test episodes included).</para>
/// <para>The normalization is one fused op (<see cref="TensorMath.BatchNorm2d"/>, with γ and β) whose backward is written in
/// differentiable ops when a graph of it is recorded, so gradients of gradients (second-order MAML) flow through it. Names are PyTorch's: <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>.</para>
/// </remarks>
public sealed class BatchNorm2d : Module
{
    private readonly Tensor? _runningMean, _runningVar, _batchesTracked;

    /// <summary>A batch norm over <paramref name="channels"/> channels.</summary>
    /// <param name="channels">C.</param>
    /// <param name="eps">ε added to the variance; 1e-5.</param>
    /// <param name="momentum">m of the running estimates; 0.1.</param>
    /// <param name="trackRunningStats">Keep running estimates and use them in evaluation mode; false: batch statistics always.</param>
    public BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f, bool trackRunningStats = true)
    {
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "BatchNorm2d: channels must be positive.");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm2d: momentum must lie in [0, 1].");
        (Channels, Eps, Momentum) = (channels, eps, momentum);
        Weight = AddParameter("weight", new Parameter(Tensor.Ones(channels)));
        Bias = AddParameter("bias", new Parameter(channels));
        if (!trackRunningStats) return;
        _runningMean = AddBuffer("running_mean", Tensor.Zeros(channels));
        _runningVar = AddBuffer("running_var", Tensor.Ones(channels));
        _batchesTracked = AddBuffer("num_batches_tracked", Tensor.Zeros(1));
    }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>ε.</summary>
    public float Eps { get; }

    /// <summary>Momentum of the running estimates.</summary>
    public float Momentum { get; }

    /// <summary>γ, ones at first.</summary>
    public Parameter Weight { get; }

    /// <summary>β, zeros at first.</summary>
    public Parameter Bias { get; }

    /// <summary>Running mean per channel (null without running statistics).</summary>
    public Tensor? RunningMean => _runningMean;

    /// <summary>Running (unbiased) variance per channel (null without running statistics).</summary>
    public Tensor? RunningVar => _runningVar;

    /// <param name="x">(N, C, H, W)</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x)
    {
        if (x.Shape.Rank != 4 || x.Shape[1] != Channels)
            throw new ArgumentException($"BatchNorm2d: expected (N, {Channels}, H, W), got {x.Shape}.", nameof(x));
        if (IsTraining || _runningMean is null)
        {
            var y = x.BatchNorm2d(Resolve(Weight)!, Resolve(Bias)!, Eps, out var batchMean, out var batchVariance);
            if (IsTraining && _runningMean is not null) UpdateRunningStatistics(batchMean, batchVariance, x.Size / Channels);
            return y;
        }
        var shape = new Shape(1, Channels, 1, 1);
        var (mean, variance) = (_runningMean.Reshape(shape), _runningVar!.Reshape(shape));
        return (x - mean) / (variance + Eps).Sqrt() * Resolve(Weight).Reshape(shape) + Resolve(Bias).Reshape(shape);
    }

    private void UpdateRunningStatistics(float[] batchMean, float[] batchVar, int perChannel)
    {
        var runningMean = _runningMean!.Span;
        var runningVar = _runningVar!.Span;
        float unbiased = perChannel > 1 ? perChannel / (perChannel - 1f) : 1f;
        for (int c = 0; c < Channels; c++)
        {
            runningMean[c] = (1 - Momentum) * runningMean[c] + Momentum * batchMean[c];
            runningVar[c] = (1 - Momentum) * runningVar[c] + Momentum * batchVar[c] * unbiased;
        }
        _batchesTracked!.Span[0] += 1;
    }
}
