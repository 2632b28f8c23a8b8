namespace Lifelong.Rl.Environments;

/// <summary>An N×N open grid with one goal cell whose position is a parameter, so a level can move it: the world stays,
/// the reward changes.</summary>
/// <remarks>
/// <para>Actions 0, 1, 2, 3 move up (row − 1), right (column + 1), down (row + 1), left (column − 1); a move into the
/// border leaves the agent where it is. Entering the goal gives +1 and terminates; every other step gives −step_cost.
/// An episode starts in a cell drawn uniformly from the N² − 1 cells that are not the goal.</para>
/// <para>The observation is the one-hot vector of the agent's cell (row-major, N² values): it shows where the agent
/// is, not where the goal is, so a moved goal is learned from reward alone.</para>
/// <para>State values: row, column. Parameters: <c>goal_row</c>, <c>goal_column</c> (whole numbers inside the grid),
/// <c>step_cost</c>.</para>
/// </remarks>
public sealed class GridWorld : EpisodicEnvironment
{
    /// <summary>The registry name.</summary>
    public const string EnvironmentName = "gridworld";

    private int _row, _column;
    private int _goalRow, _goalColumn;

    /// <summary>A grid of <paramref name="size"/>×<paramref name="size"/> cells with the goal in the bottom-right corner.</summary>
    /// <param name="size">Cells per side, at least 2.</param>
    /// <param name="maxEpisodeSteps">The time limit; 100 by default.</param>
    /// <param name="stepCost">The cost of a step that does not reach the goal; 0.01 by default.</param>
    public GridWorld(int size = 5, int maxEpisodeSteps = 100, double stepCost = 0.01) : base(maxEpisodeSteps)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "GridWorld: size must be at least 2.");
        Size = size;
        StepCost = stepCost;
        (_goalRow, _goalColumn) = (size - 1, size - 1);
        AddParameter("goal_row", () => GoalRow, v => GoalRow = Cell(v, "goal_row"));
        AddParameter("goal_column", () => GoalColumn, v => GoalColumn = Cell(v, "goal_column"));
        AddParameter("step_cost", () => StepCost, v => StepCost = v);
    }

    /// <summary>Cells per side, N.</summary>
    public int Size { get; }

    /// <summary>The goal's row, 0 … N − 1.</summary>
    public int GoalRow
    {
        get => _goalRow;
        set => _goalRow = Cell(value, nameof(GoalRow));
    }

    /// <summary>The goal's column, 0 … N − 1.</summary>
    public int GoalColumn
    {
        get => _goalColumn;
        set => _goalColumn = Cell(value, nameof(GoalColumn));
    }

    /// <summary>The cost of a step that does not reach the goal.</summary>
    public double StepCost { get; set; }

    /// <inheritdoc/>
    public override string Name => EnvironmentName;

    /// <inheritdoc/>
    public override int ObservationSize => Size * Size;

    /// <inheritdoc/>
    public override int ActionCount => 4;

    /// <inheritdoc/>
    protected override int StateSize => 2;

    /// <inheritdoc/>
    protected override void ResetState(Rng rng)
    {
        // Draw among the cells that are not the goal: skip over the goal's index.
        int goal = _goalRow * Size + _goalColumn;
        int cell = rng.NextInt(Size * Size - 1);
        if (cell >= goal) cell++;
        (_row, _column) = (cell / Size, cell % Size);
    }

    /// <inheritdoc/>
    protected override (double Reward, bool Terminated) Advance(int action)
    {
        switch (action)
        {
            case 0: _row = Math.Max(_row - 1, 0); break;
            case 1: _column = Math.Min(_column + 1, Size - 1); break;
            case 2: _row = Math.Min(_row + 1, Size - 1); break;
            default: _column = Math.Max(_column - 1, 0); break;
        }
        bool atGoal = _row == _goalRow && _column == _goalColumn;
        return (atGoal ? 1.0 : -StepCost, atGoal);
    }

    /// <inheritdoc/>
    protected override void Observe(Span<float> observation)
    {
        observation.Clear();
        observation[_row * Size + _column] = 1f;
    }

    /// <inheritdoc/>
    protected override void GetValues(Span<double> values) => (values[0], values[1]) = (_row, _column);

    /// <inheritdoc/>
    protected override void SetValues(ReadOnlySpan<double> values) => (_row, _column) = (Cell(values[0], "row"), Cell(values[1], "column"));

    private int Cell(double value, string what)
    {
        if (value != Math.Floor(value) || value < 0 || value >= Size)
            throw new ArgumentOutOfRangeException(what, value, $"GridWorld: {what} must be a whole number in 0 … {Size - 1}.");
        return (int)value;
    }
}
