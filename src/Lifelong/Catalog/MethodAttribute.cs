namespace Lifelong.Catalog;

/// <summary>Marks a <see cref="Training.ContinualMethod"/> for the catalog: its family and its paper.</summary>
/// <param name="category">The family: <c>baseline</c>, <c>plasticity</c>, <c>forgetting</c>, <c>pretrained</c>, <c>meta</c>.</param>
/// <param name="paper">The paper (authors, year, venue or arXiv id).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MethodAttribute(string category, string paper) : Attribute
{
    /// <summary>The method's family.</summary>
    public string Category { get; } = category;

    /// <summary>The paper the method comes from.</summary>
    public string Paper { get; } = paper;
}
