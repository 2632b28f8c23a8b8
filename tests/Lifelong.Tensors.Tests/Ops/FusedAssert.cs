using Lifelong.Tensors;

namespace Lifelong.Tensors.Tests.Ops;

/// <summary>The comparison a fused op's tests make against the composite it replaces.</summary>
internal static class FusedAssert
{
    /// <summary>Equal up to float summation order: |a − b| ≤ 1e-4 · max(1, |a|, the largest |a| of the tensor / 10).</summary>
    public static void Close(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToArray(), actual.ToArray());
        float scale = Math.Max(1f, e.Select(Math.Abs).DefaultIfEmpty(0f).Max() / 10f);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f * Math.Max(scale, Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {a[i]}");
    }
}
