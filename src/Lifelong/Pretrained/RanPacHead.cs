using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>RanPAC's head: h = ReLU(f·W_rand), then ridge regression Wₒ = (G + λI)⁻¹Q on G = Σ hᵀh, Q = Σ hᵀY accumulated over all tasks; logits = h·Wₒ.</summary>
/// <remarks>
/// <para>McDonnell et al. 2023, "RanPAC: Random Projections and Pre-trained Models for Continual Learning" (NeurIPS,
/// arXiv 2307.02251), as its code <c>RanPAC.py</c>: W_rand ~ N(0, 1) of shape (D, M), fixed for the run; with M = 0 the
/// features are used as they are (no projection, no ReLU) and the head only decorrelates them. Y is one-hot over all
/// class slots. λ is chosen per task from 10⁻⁸, 10⁻⁷, …, 10⁸: for each λ, fit on the first 80 % of the current task's
/// samples (in the order observed) and score the mean squared error of h·W against Y on the last 20 %; the smallest
/// error wins (the first on ties). The held-out error is computed from that part's own Gram statistics,
/// ‖Y − HW‖² = tr(YᵀY) − 2⟨W, HᵀY⟩ + ⟨W, HᵀH·W⟩, so features need not be stored. Then Wₒ solves
/// (G + λI)Wₒ = Q with the task's samples added to G and Q.</para>
/// <para>Solves use a Cholesky factorization in double (the reference uses <c>torch.linalg.solve</c>, an LU). A λ at which
/// G + λI is not numerically positive definite is skipped. A task with no held-out or no fitting samples keeps the
/// previous λ (1 before any). G and Q are accumulated in double from float32 per-batch products.</para>
/// </remarks>
public sealed class RanPacHead : ClassHead
{
    /// <summary>The λ grid 10⁻⁸ … 10⁸ of the reference code.</summary>
    public static IReadOnlyList<double> Lambdas { get; } = [.. Enumerable.Range(-8, 17).Select(e => Math.Pow(10, e))];

    private readonly Rng _rng;
    private Tensor? _projection;   // (D, M)
    private int _inputDim, _dim;
    private double[] _g = [], _q = [], _weights = [];
    private double[] _gFit = [], _qFit = [], _gHeld = [], _qHeld = [];
    private double _yyHeld;
    private long _taskSeen, _taskFit, _taskSamples;

    /// <summary>A head over <paramref name="slots"/> classes with <paramref name="projection"/> random features (0: none), W_rand drawn from <paramref name="rng"/>.</summary>
    public RanPacHead(int slots, int projection, Rng rng, double holdout = 0.2) : base(slots)
    {
        if (projection < 0) throw new ArgumentOutOfRangeException(nameof(projection), projection, "The projection width M must be ≥ 0.");
        if (!(holdout > 0 && holdout < 1)) throw new ArgumentOutOfRangeException(nameof(holdout), holdout, "The held-out fraction must be in (0, 1).");
        (Projection, _rng, Holdout) = (projection, rng, holdout);
        Lambda = 1;
    }

    /// <summary>M, the random feature width (0: no projection).</summary>
    public int Projection { get; }

    /// <summary>The fraction of each task held out to choose λ (0.2).</summary>
    public double Holdout { get; }

    /// <summary>The λ chosen at the last task end.</summary>
    public double Lambda { get; private set; }

    /// <summary>Wₒ, (D·Slots) row-major (empty before the first task ends).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>The random features h of <paramref name="features"/>.</summary>
    /// <param name="features">(N, d)</param> <returns>(N, M), or the features themselves when M = 0</returns>
    public Tensor RandomFeatures(Tensor features)
    {
        Initialize(features.Shape[1]);
        return _projection is null ? features : features.MatMul(_projection).Relu();
    }

    /// <inheritdoc/>
    public override void BeginTask(int samples)
    {
        _taskSamples = samples;
        _taskSeen = 0;
        _taskFit = (long)Math.Floor((1 - Holdout) * samples);
        _yyHeld = 0;
        if (_dim > 0) ClearTask();
    }

    /// <inheritdoc/>
    public override void Observe(Tensor features, ReadOnlySpan<int> slots)
    {
        using var noGrad = Autograd.NoGrad();
        var h = RandomFeatures(features);
        if (_gFit.Length == 0) ClearTask();
        int n = h.Shape[0];
        int fit = (int)Math.Clamp(_taskFit - _taskSeen, 0, n);
        if (fit > 0) Accumulate(h.Slice(0, 0, fit), slots[..fit], _gFit, _qFit);
        if (fit < n)
        {
            Accumulate(h.Slice(0, fit, n - fit), slots[fit..], _gHeld, _qHeld);
            _yyHeld += n - fit;   // tr(YᵀY) of one-hot rows
        }
        _taskSeen += n;
    }

    /// <inheritdoc/>
    public override void EndTask()
    {
        if (_dim == 0) return;
        long fitted = Math.Min(_taskSeen, _taskFit), held = _taskSeen - fitted;
        if (fitted > 0 && held > 0) Lambda = ChooseLambda(held);
        for (int i = 0; i < _g.Length; i++) _g[i] += _gFit[i] + _gHeld[i];
        for (int i = 0; i < _q.Length; i++) _q[i] += _qFit[i] + _qHeld[i];
        var lambdas = Lambdas.Where(l => l >= Lambda).Prepend(Lambda);
        foreach (double lambda in lambdas)
            if (SolveRidge(_g, _q, lambda) is { } weights)
            {
                (_weights, Lambda) = (weights, lambda);
                break;
            }
        ClearTask();
        _taskSeen = 0;
    }

    /// <inheritdoc/>
    public override Tensor Logits(Tensor features)
    {
        int n = features.Shape[0];
        var logits = Tensor.Zeros(n, Slots);
        if (_weights.Length == 0) return logits;
        Tensor h;
        using (Autograd.NoGrad()) h = RandomFeatures(features);
        var x = h.Span;
        var y = logits.Span;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < Slots; c++)
            {
                double sum = 0;
                for (int j = 0; j < _dim; j++) sum += x[i * _dim + j] * _weights[j * Slots + c];
                y[i * Slots + c] = (float)sum;
            }
        return logits;
    }

    /// <summary>W solving (G + λI)W = Q, or null when G + λI is not numerically positive definite.</summary>
    /// <param name="g">(D·D)</param> <param name="q">(D·Slots)</param> <param name="lambda">λ</param>
    public double[]? SolveRidge(double[] g, double[] q, double lambda)
    {
        var a = (double[])g.Clone();
        for (int i = 0; i < _dim; i++) a[i * _dim + i] += lambda;
        return Cholesky.Solve(a, q, _dim, Slots);
    }

    private double ChooseLambda(long held)
    {
        double best = double.PositiveInfinity, chosen = Lambda;
        foreach (double lambda in Lambdas)
        {
            if (SolveRidge(_gFit, _qFit, lambda) is not { } w) continue;
            double cross = 0, quadratic = 0;
            for (int i = 0; i < w.Length; i++) cross += w[i] * _qHeld[i];
            for (int c = 0; c < Slots; c++)
                for (int i = 0; i < _dim; i++)
                {
                    double gw = 0;
                    for (int j = 0; j < _dim; j++) gw += _gHeld[i * _dim + j] * w[j * Slots + c];
                    quadratic += w[i * Slots + c] * gw;
                }
            double mse = (_yyHeld - 2 * cross + quadratic) / ((double)held * Slots);
            if (mse < best) (best, chosen) = (mse, lambda);
        }
        return chosen;
    }

    private void Accumulate(Tensor h, ReadOnlySpan<int> slots, double[] g, double[] q)
    {
        var gram = h.MatMul(h, transposeA: true).Span;   // hᵀh (D, D)
        for (int i = 0; i < g.Length; i++) g[i] += gram[i];
        var x = h.Span;
        for (int r = 0; r < slots.Length; r++)
            for (int j = 0; j < _dim; j++) q[j * Slots + slots[r]] += x[r * _dim + j];   // hᵀY, Y one-hot
    }

    private void Initialize(int inputDim)
    {
        if (_inputDim == inputDim) return;
        if (_inputDim != 0) throw new ArgumentException($"RanPAC head: features of width {inputDim}, expected {_inputDim}.", nameof(inputDim));
        _inputDim = inputDim;
        _dim = Projection > 0 ? Projection : inputDim;
        if (Projection > 0)
        {
            _projection = Tensor.Zeros(inputDim, Projection);
            _rng.Split("projection").FillNormal(_projection.Span, 0f, 1f);
        }
        _g = new double[_dim * _dim];
        _q = new double[_dim * Slots];
    }

    private void ClearTask()
    {
        (_gFit, _qFit) = (new double[_dim * _dim], new double[_dim * Slots]);
        (_gHeld, _qHeld) = (new double[_dim * _dim], new double[_dim * Slots]);
        _yyHeld = 0;
    }

    /// <inheritdoc/>
    public override void Save(MethodState state, string prefix)
    {
        state.Values[$"{prefix}.input_dim"] = _inputDim;
        state.Values[$"{prefix}.lambda"] = Lambda;
        state.Values[$"{prefix}.yy_held"] = _yyHeld;
        StateArrays.Set(state, $"{prefix}.task_counts", [_taskSeen, _taskFit, _taskSamples]);
        StateArrays.Set(state, $"{prefix}.g", _g);
        StateArrays.Set(state, $"{prefix}.q", _q);
        StateArrays.Set(state, $"{prefix}.weights", _weights);
        StateArrays.Set(state, $"{prefix}.g_fit", _gFit);
        StateArrays.Set(state, $"{prefix}.q_fit", _qFit);
        StateArrays.Set(state, $"{prefix}.g_held", _gHeld);
        StateArrays.Set(state, $"{prefix}.q_held", _qHeld);
    }

    /// <inheritdoc/>
    public override void Load(MethodState state, string prefix)
    {
        int inputDim = StateArrays.Node(state, $"{prefix}.input_dim").GetValue<int>();
        if (inputDim > 0) Initialize(inputDim);
        Lambda = StateArrays.Node(state, $"{prefix}.lambda").GetValue<double>();
        _yyHeld = StateArrays.Node(state, $"{prefix}.yy_held").GetValue<double>();
        var counts = StateArrays.GetLongs(state, $"{prefix}.task_counts");
        (_taskSeen, _taskFit, _taskSamples) = (counts[0], counts[1], counts[2]);
        (_g, _q, _weights) = (StateArrays.GetDoubles(state, $"{prefix}.g"), StateArrays.GetDoubles(state, $"{prefix}.q"), StateArrays.GetDoubles(state, $"{prefix}.weights"));
        (_gFit, _qFit) = (StateArrays.GetDoubles(state, $"{prefix}.g_fit"), StateArrays.GetDoubles(state, $"{prefix}.q_fit"));
        (_gHeld, _qHeld) = (StateArrays.GetDoubles(state, $"{prefix}.g_held"), StateArrays.GetDoubles(state, $"{prefix}.q_held"));
    }
}
