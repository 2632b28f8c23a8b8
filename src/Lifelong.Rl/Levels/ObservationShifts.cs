namespace Lifelong.Rl.Levels;

/// <summary>The continual classic-control levels of the TRAC and C-CHAIN code: each level adds one fixed Gaussian vector
/// to every observation, and the first level adds nothing.</summary>
/// <remarks>
/// <para>C-CHAIN (<c>bluecontra/C-CHAIN</c>, <c>crl_gym_classic_control/control_train_aligned_vanilla.py</c>,
/// <c>get_peturbations</c> and the training loop) and TRAC (<c>ComputationalRobotics/TRAC</c>, <c>main.ipynb</c> cells
/// 12–13) draw <c>np.random.normal(0, 2, observation.shape)</c> once per level, set level 0's vector to zero, and add
/// the level's vector to the observation returned by <c>reset</c> and by every <c>step</c>; dynamics, reward and
/// termination are untouched. The defaults here are theirs: 10 levels, σ = 2.</para>
/// <para>The vectors come from our <see cref="Rng"/> (Box–Muller), not numpy's Mersenne Twister and polar method, so for
/// the same seed they are different vectors from the same distribution. As in the protocol, vector l depends only on
/// the seed and l, not on how many levels are drawn. The offset is a float64 added to the float32 observation and the
/// sum rounded to float32, which is what numpy's in-place <c>observation += perturbation</c> does.</para>
/// </remarks>
public static class ObservationShifts
{
    /// <summary>Level 0 with a zero offset, then <paramref name="levelCount"/> − 1 levels each with its own N(0, σ²) offset per dimension.</summary>
    /// <param name="levelCount">Number of levels, at least 1 (the protocol's <c>level_num</c>, 10).</param>
    /// <param name="observationSize">Length of each offset vector.</param>
    /// <param name="sigma">σ, the protocol's <c>obs_perturb_range</c> (2); 0 or more.</param>
    /// <param name="rng">The stream the offsets are drawn from, in level order, dimension by dimension.</param>
    public static Level[] Create(int levelCount, int observationSize, double sigma, Rng rng)
    {
        if (levelCount < 1) throw new ArgumentOutOfRangeException(nameof(levelCount), levelCount, "ObservationShifts: levelCount must be at least 1.");
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "ObservationShifts: observationSize must be at least 1.");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "ObservationShifts: sigma must be finite and 0 or more.");
        var levels = new Level[levelCount];
        for (int level = 0; level < levelCount; level++)
        {
            var offset = new double[observationSize];
            // The protocol draws level 0's vector too and then zeroes it; drawing it keeps vector l a function of l alone.
            for (int i = 0; i < observationSize; i++) offset[i] = sigma * rng.NextNormal();
            if (level == 0) Array.Clear(offset);
            levels[level] = Level.WithOffset(offset);
        }
        return levels;
    }
}
