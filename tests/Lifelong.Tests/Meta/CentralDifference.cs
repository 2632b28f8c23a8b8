using Lifelong.Tensors;

namespace Lifelong.Tests.Meta;

/// <summary>(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for element i of a tensor the objective reads, restoring it afterwards.</summary>
internal static class CentralDifference
{
    public static double Of(Func<double> objective, Tensor tensor, int i, float h = 1e-3f)
    {
        var values = tensor.Span;
        float original = values[i];
        values[i] = original + h;
        double plus = objective();
        values = tensor.Span;
        values[i] = original - h;
        double minus = objective();
        tensor.Span[i] = original;
        return (plus - minus) / (2 * h);
    }
}
