namespace Lifelong.Pretrained;

/// <summary>How a delta mask chooses the coordinates (or groups) it keeps.</summary>
public enum MaskSelection
{
    /// <summary>Independently at random with keep probability q (SoTU's and DARE's Bernoulli mask).</summary>
    Random,

    /// <summary>The fraction q of largest |δ| in each parameter tensor (for groups: largest Σ δ²).</summary>
    Magnitude,

    /// <summary>The fraction q of largest F·δ² in each parameter tensor, F the diagonal Fisher at the fine-tuned weights.</summary>
    Fisher,
}
