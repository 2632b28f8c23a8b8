namespace Lifelong.Tensors;

public partial class Tensor
{
    /// <summary>a + b, broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>a − b, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>a ⊙ b, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>a / b, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>−x.</summary>
    public static Tensor operator -(Tensor x) => x.Neg();

    /// <summary>x + c.</summary>
    public static Tensor operator +(Tensor x, float c) => x.Add(c);

    /// <summary>c + x.</summary>
    public static Tensor operator +(float c, Tensor x) => x.Add(c);

    /// <summary>x − c.</summary>
    public static Tensor operator -(Tensor x, float c) => x.Add(-c);

    /// <summary>c − x.</summary>
    public static Tensor operator -(float c, Tensor x) => x.Neg().Add(c);

    /// <summary>c·x.</summary>
    public static Tensor operator *(Tensor x, float c) => x.Mul(c);

    /// <summary>c·x.</summary>
    public static Tensor operator *(float c, Tensor x) => x.Mul(c);

    /// <summary>x / c.</summary>
    public static Tensor operator /(Tensor x, float c) => x.Mul(1f / c);

    /// <summary>c / x.</summary>
    public static Tensor operator /(float c, Tensor x) => x.Reciprocal(c);
}
