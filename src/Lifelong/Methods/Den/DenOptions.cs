using Lifelong.Catalog;
namespace Lifelong.Methods;

/// <summary>Options of <see cref="Den"/>; defaults are the official code's (<c>DEN_run.py</c>) where it has one.</summary>
/// <param name="LearningRate">Adam's step size in every stage; 1e-3.</param>
/// <param name="L1">ℓ₁ sparsity: after every step each trained weight is soft-thresholded by this amount (the official proximal step); 1e-5.</param>
/// <param name="L2">ℓ₂ weight decay, λ/2·Σw² over the trained weights; 1e-4.</param>
/// <param name="GroupLasso">Group-lasso proximal threshold on each new unit's incoming and outgoing weights during expansion; 1e-3.</param>
/// <param name="Tie">Weight of ½‖θ − θ^{t−1}‖² over the weights that existed before the task, in selective retraining and after a split; 0.5.</param>
/// <param name="LossThreshold">τ: expand when the selective-retraining loss (mean cross-entropy over its last quarter of steps) stays above this; 0.01.</param>
/// <param name="SplitThreshold">σ: split a unit whose incoming weights moved farther than this (ℓ₂) during the task; 0.05.</param>
/// <param name="Expand">k: units added to every hidden layer when expanding; 10.</param>
/// <param name="MaxSplit">At most this many units split per layer and task, the largest drifts first; 10 (the official code's ex_k
/// cap, which keeps the network from doubling: σ = 0.05 over 784 incoming weights selects most of the first layer); 0: every unit above σ (the paper's rule).</param>
/// <param name="HeadSteps">Steps of the first stage (the new head alone, to select the subnetwork), as a fraction of the task's steps; 0.1 (the official max_iter / 10).</param>
/// <param name="Split">Split and duplicate drifted units after every task (the paper's Algorithm 1); false skips the stage.</param>
public sealed record DenOptions(
    [Positive] double LearningRate = 1e-3, [NonNegative] double L1 = 1e-5, [NonNegative] double L2 = 1e-4, [NonNegative] double GroupLasso = 1e-3, [NonNegative] double Tie = 0.5,
    [NonNegative] double LossThreshold = 0.01, [NonNegative] double SplitThreshold = 0.05, [NonNegative] int Expand = 10, [NonNegative] int MaxSplit = 10, [Between(0, 1, MinExclusive = true, MaxExclusive = true)] double HeadSteps = 0.1, bool Split = true);
