namespace Lifelong.Pretrained;

/// <summary>The training-free classifier on backbone features.</summary>
public enum HeadKind
{
    /// <summary>Nearest class mean by cosine (<see cref="PrototypeHead"/>).</summary>
    Prototype,

    /// <summary>Random projection + ReLU, then ridge regression (<see cref="RanPacHead"/>).</summary>
    RanPac,
}
