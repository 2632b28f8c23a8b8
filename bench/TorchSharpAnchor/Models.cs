using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharpAnchor;

/// <summary>The models of ../shared/bench/torch_reference.py, line for line in TorchSharp.</summary>
internal static class Models
{
    /// <summary><c>mlp(sizes, layernorm)</c>: Linear layers, each hidden one followed by (LayerNorm and) ReLU.</summary>
    public static Sequential Mlp(long[] sizes, bool layerNorm = false)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            layers.Add(nn.Linear(sizes[i], sizes[i + 1]));
            if (i < sizes.Length - 2)
            {
                if (layerNorm) layers.Add(nn.LayerNorm(sizes[i + 1]));
                layers.Add(nn.ReLU());
            }
        }
        return nn.Sequential(layers);
    }
}

/// <summary><c>Cnn</c>: conv 3×3 1→32 (pad 1), ReLU, max-pool 2; conv 3×3 32→64 (pad 1), ReLU, max-pool 2; FC 3136→128, ReLU; FC 128→10.</summary>
internal sealed class Cnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d c1 = nn.Conv2d(1, 32, 3, padding: 1);
    private readonly Conv2d c2 = nn.Conv2d(32, 64, 3, padding: 1);
    private readonly Linear f1 = nn.Linear(64 * 7 * 7, 128);
    private readonly Linear f2 = nn.Linear(128, 10);

    public Cnn() : base("cnn") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = F.max_pool2d(F.relu(c1.forward(x)), 2);
        x = F.max_pool2d(F.relu(c2.forward(x)), 2);
        return f2.forward(F.relu(f1.forward(x.flatten(1))));
    }
}

/// <summary><c>Block</c>: pre-norm transformer block, <c>nn.MultiheadAttention</c> and a GELU MLP.</summary>
internal sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm n1;
    private readonly MultiheadAttention att;
    private readonly LayerNorm n2;
    private readonly Sequential mlp;

    public Block(long d, long h, long m) : base("block")
    {
        n1 = nn.LayerNorm(d);
        att = nn.MultiheadAttention(d, h);
        n2 = nn.LayerNorm(d);
        mlp = nn.Sequential(nn.Linear(d, m), nn.GELU(), nn.Linear(m, d));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // TorchSharp's MultiheadAttention has no batch_first: it takes (tokens, batch, dim). PyTorch's batch_first=True
        // transposes to that layout internally too, so the two transposes here are what the reference does.
        var y = n1.forward(x).transpose(0, 1);
        x = x + att.forward(y, y, y, null, false, null).Item1.transpose(0, 1);
        return x + mlp.forward(n2.forward(x));
    }
}

/// <summary><c>Vit</c>: 7×7 patches of a 28×28 image, D = 64, 4 heads, depth 2, MLP 128, a class token, 10 classes.</summary>
internal sealed class Vit : nn.Module<Tensor, Tensor>
{
    private readonly long patch;
    private readonly Linear embed;
    private readonly Parameter cls;
    private readonly Parameter pos;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public Vit(long d = 64, long heads = 4, long depth = 2, long mlpDim = 128, long patch = 7) : base("vit")
    {
        this.patch = patch;
        long n = (28 / patch) * (28 / patch);
        embed = nn.Linear(patch * patch, d);
        cls = nn.Parameter(zeros(1, 1, d));
        pos = nn.Parameter(zeros(1, n + 1, d) + 0.02 * randn(1, n + 1, d));
        blocks = nn.Sequential(Enumerable.Range(0, (int)depth).Select(_ => (nn.Module<Tensor, Tensor>)new Block(d, heads, mlpDim)).ToList());
        norm = nn.LayerNorm(d);
        head = nn.Linear(d, 10);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], p = patch;
        x = x.unfold(2, p, p).unfold(3, p, p).reshape(b, -1, p * p);
        x = cat([cls.expand(b, -1, -1), embed.forward(x)], 1) + pos;
        return head.forward(norm.forward(blocks.forward(x)).select(1, 0));
    }
}
