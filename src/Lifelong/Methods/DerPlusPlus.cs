using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>DER++: L = CE(f(x), y) + α · MSE(h_θ(x′), z′) + β · CE(f(x″), y″), with (x′, z′) and (x″, y″) two independent draws from the memory (Buzzega et al. 2020).</summary>
/// <remarks>
/// As <see cref="Der"/>, plus the labels of stored rows replayed through a second cross-entropy. The β term is computed
/// from its own forward pass so that its weight is exactly β (appending the rows to the incoming batch would average
/// them into the task loss instead). Defaults from mammoth's best arguments on permuted MNIST, buffer 500: α = 1, β = 0.5.
/// </remarks>
[Method("forgetting", "Buzzega et al. 2020, Dark Experience for General Continual Learning, NeurIPS")]
public sealed class DerPlusPlus : Der
{
    /// <summary>The command-line name.</summary>
    public new const string MethodName = "derpp";

    private readonly float _beta;

    /// <summary>DER++ with <paramref name="options"/>.</summary>
    public DerPlusPlus(DerPlusPlusOptions options) : base(new DerOptions(options.Size, options.Alpha, options.BatchSize)) => _beta = options.Beta;

    /// <summary>DER++ with the default options.</summary>
    public DerPlusPlus() : this(new DerPlusPlusOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        if (Buffer is not { Count: > 0 } buffer) return null;
        var (samples, _) = buffer.Sample(ReplayCount(step));
        return F.CrossEntropy(learner.Model.Forward(samples.ToTensor(), samples.Heads), samples.Labels) * _beta;
    }
}

/// <summary>Options of <see cref="DerPlusPlus"/>.</summary>
/// <param name="Size">Memory size in rows.</param>
/// <param name="Alpha">Weight α of the logit-matching term (mammoth perm-MNIST, buffer 500: 1.0).</param>
/// <param name="Beta">Weight β of the replayed cross-entropy (mammoth perm-MNIST, buffer 500: 0.5; buffer 200: 1.0).</param>
/// <param name="BatchSize">Rows per replay draw (0: as many as the incoming batch).</param>
public sealed record DerPlusPlusOptions([Positive] int Size = 500, [NonNegative] float Alpha = 1f, [NonNegative] float Beta = 0.5f, [NonNegative(Max = 100_000)] int BatchSize = 0);
