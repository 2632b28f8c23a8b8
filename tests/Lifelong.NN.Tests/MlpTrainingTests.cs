using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class MlpTrainingTests
{
    [Fact]
    public void Mlp_learns_xor_blobs_with_plain_sgd()
    {
        // Four Gaussian blobs at (±1, ±1), σ = 0.3, labelled by the sign of x·y: not linearly separable.
        const int count = 256;
        var rng = new Rng(0);
        var points = new float[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            float cx = (i & 1) == 0 ? 1f : -1f, cy = (i & 2) == 0 ? 1f : -1f;
            points[2 * i] = cx + 0.3f * (float)rng.NextNormal();
            points[2 * i + 1] = cy + 0.3f * (float)rng.NextNormal();
            labels[i] = cx * cy > 0 ? 1 : 0;
        }
        var x = Tensor.FromArray(points, count, 2);
        var model = new Mlp([2, 32, 32, 2], rng.Split("model"));

        const float lr = 0.1f;
        for (int step = 0; step < 300; step++)
        {
            var loss = F.CrossEntropy(model.Forward(x), labels);
            var grads = Autograd.Grad(loss, [.. model.Parameters()]);
            using (Autograd.NoGrad())
            {
                int i = 0;
                foreach (var p in model.Parameters())
                    (p - grads[i++] * lr).Span.CopyTo(p.Span);   // θ ← θ − lr·∇L
            }
        }

        var predictions = model.Forward(x).ArgMax(-1);
        double accuracy = predictions.Zip(labels).Count(p => p.First == p.Second) / (double)count;
        Assert.True(accuracy > 0.95, $"training accuracy {accuracy:P1}");
    }
}
