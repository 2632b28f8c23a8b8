namespace Lifelong.NN;

/// <summary>What a non-strict <see cref="Module.LoadStateDict"/> could not match, as PyTorch's <c>_IncompatibleKeys</c>.</summary>
/// <param name="MissingKeys">Names the module has but the state dict lacks (left unchanged).</param>
/// <param name="UnexpectedKeys">Names in the state dict the module does not have (ignored).</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>True when every key matched.</summary>
    public bool IsExact => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;
}
