namespace Lifelong.Rl.Tests;

public class GridWorldTests
{
    [Fact]
    public void Moves_follow_the_compass_and_stop_at_the_border()
    {
        // 5×5, agent at (row 2, column 2): up → (1, 2); up → (0, 2); up at the border stays (0, 2); left → (0, 1).
        var env = new GridWorld(size: 5);
        env.Restore(Rollouts.Running("gridworld", 2, 2));
        var expected = new (int Action, int Row, int Column)[] { (0, 1, 2), (0, 0, 2), (0, 0, 2), (3, 0, 1), (1, 0, 2), (2, 1, 2) };
        foreach (var (action, row, column) in expected)
        {
            var (observation, reward, terminated, _) = env.Step(action);
            Assert.Equal(row * 5 + column, Array.IndexOf(observation, 1f));
            Assert.Equal(1f, observation.Sum());
            Assert.Equal(-0.01, reward);
            Assert.False(terminated);
        }
    }

    [Fact]
    public void Entering_the_goal_pays_one_and_ends_the_episode()
    {
        var env = new GridWorld(size: 5);
        env.Restore(Rollouts.Running("gridworld", 4, 3));
        var (_, reward, terminated, _) = env.Step(1);
        Assert.Equal(1.0, reward);
        Assert.True(terminated);
    }

    [Fact]
    public void Moving_the_goal_changes_the_reward_and_nothing_else()
    {
        var env = new GridWorld(size: 5);
        env.SetParameter("goal_row", 0);
        env.SetParameter("goal_column", 0);
        env.Restore(Rollouts.Running("gridworld", 4, 3));
        var (observation, reward, terminated, _) = env.Step(1);   // into the old goal (4, 4): now an ordinary cell
        Assert.Equal(24, Array.IndexOf(observation, 1f));
        Assert.Equal(-0.01, reward);
        Assert.False(terminated);
        env.Restore(Rollouts.Running("gridworld", 0, 1));
        Assert.Equal(1.0, env.Step(3).Reward);                   // into the new goal (0, 0)
    }

    [Fact]
    public void Episodes_start_anywhere_but_the_goal_with_every_other_cell_possible()
    {
        var env = new GridWorld(size: 4) { GoalRow = 1, GoalColumn = 2 };
        var seen = new HashSet<int>();
        env.Reset(seed: 5);
        for (int i = 0; i < 400; i++) seen.Add(Array.IndexOf(env.Reset(), 1f));
        Assert.DoesNotContain(1 * 4 + 2, seen);
        Assert.Equal(15, seen.Count);
    }

    [Fact]
    public void A_goal_outside_the_grid_is_refused_with_its_name()
    {
        var env = new GridWorld(size: 4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => env.SetParameter("goal_row", 4));
        Assert.Contains("goal_row", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.SetParameter("goal_column", 1.5));
    }
}
