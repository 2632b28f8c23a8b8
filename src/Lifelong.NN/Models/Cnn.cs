using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The small CNN of the L2 Init paper: conv k×k×16 → act → maxpool 2 → conv k×k×16 → act → maxpool 2 → FC 100 → act → FC 100 → act → head.</summary>
/// <remarks>
/// Kumar, Marklund and Van Roy 2023, "Maintaining Plasticity in Continual Learning via Regenerative Regularization".
/// Children <c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>, <c>head</c>; PyTorch's default init. The paper does not state
/// the convolution padding; we default to none (see <see cref="CnnOptions.Padding"/>).
/// </remarks>
public sealed class Cnn : Module, IHiddenFeatures
{
    private readonly List<Conv2d> _convs = [];
    private readonly List<Linear> _fcs = [];
    private readonly Module _convActivation;
    private readonly Module _fcActivation;
    private readonly MaxPool2d _pool = new(2);
    private readonly string[] _hiddenNames;

    /// <summary>The output layer.</summary>
    public Linear Head { get; }

    /// <summary>A CNN for square images of side <paramref name="imageSize"/> with <paramref name="inChannels"/> channels and <paramref name="classes"/> outputs.</summary>
    public Cnn(int inChannels, int imageSize, int classes, Rng rng, CnnOptions? options = null)
    {
        options ??= new CnnOptions();
        int factor = options.Activation.WidthFactor();
        _convActivation = options.Activation.ToModule(axis: 1);
        _fcActivation = options.Activation.ToModule(axis: -1);

        int channels = inChannels, side = imageSize;
        for (int i = 1; i <= 2; i++)
        {
            _convs.Add(AddModule($"conv{i}", new Conv2d(channels, options.Channels, options.KernelSize, rng.Split($"conv{i}"), padding: options.Padding)));
            side = (side + 2 * options.Padding - options.KernelSize + 1) / 2;
            if (side <= 0) throw new ArgumentException($"Cnn: a {imageSize}×{imageSize} image is too small for two {options.KernelSize}×{options.KernelSize} convolutions with pooling.", nameof(imageSize));
            channels = options.Channels * factor;
        }

        int width = channels * side * side;
        var hiddenWidths = options.HiddenWidths;
        for (int i = 0; i < hiddenWidths.Length; i++)
        {
            _fcs.Add(AddModule($"fc{i + 1}", new Linear(width, hiddenWidths[i], rng.Split($"fc{i + 1}"))));
            width = hiddenWidths[i] * factor;
        }
        Head = AddModule("head", new Linear(width, classes, rng.Split("head")));
        _hiddenNames = [.. _convs.Select((_, i) => $"conv{i + 1}"), .. _fcs.Select((_, i) => $"fc{i + 1}")];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> HiddenLayerNames => _hiddenNames;

    /// <param name="x">(N, C, H, W)</param> <returns>(N, classes)</returns>
    public override Tensor Forward(Tensor x) => ForwardWithFeatures(x).Output;

    /// <inheritdoc/>
    /// <remarks>Convolution features are taken after the activation and before pooling.</remarks>
    public HiddenForward ForwardWithFeatures(Tensor x)
    {
        var hidden = new List<Tensor>(_hiddenNames.Length);
        foreach (var conv in _convs)
        {
            x = _convActivation.Forward(conv.Forward(x));
            hidden.Add(x);
            x = _pool.Forward(x);
        }
        x = x.Flatten(1);
        foreach (var fc in _fcs)
        {
            x = _fcActivation.Forward(fc.Forward(x));
            hidden.Add(x);
        }
        return new HiddenForward(Head.Forward(x), hidden);
    }
}
