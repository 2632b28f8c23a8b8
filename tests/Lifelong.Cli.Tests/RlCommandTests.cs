using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lifelong.Cli.Tests;

public class RlCommandTests
{
    /// <summary>Two levels of three tiny PPO iterations.</summary>
    private static string[] Tiny(string outDirectory, params string[] extra) => TinyWith(outDirectory, 3, Agent, extra);

    private const string Agent = "ppo:preset=cchain,hidden=16x16,steps-per-env=64,minibatch-size=16,epochs=2";

    private static string[] TinyWith(string outDirectory, int iterations, string agent, params string[] extra) =>
        ["rl", "--agent", agent, "--levels", "2", "--iterations-per-level", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--probe-size", "32", "--checkpoint-every", "2", "--out", outDirectory, .. extra];

    [Fact]
    public void An_rl_run_writes_a_run_directory_of_kind_rl()
    {
        using var folder = new Cli.TempFolder();
        string run = folder.Sub("run");
        var (code, output, error) = Cli.Run(Tiny(run, "--method", "l2init:lambda=0.01+redo:period=50"));
        Assert.True(code == 0, error);
        Assert.Contains("average performance", output);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.Equal("rl", config["kind"]!.GetValue<string>());
        Assert.NotNull(config["provenance"]);
        Assert.Equal(["l2init:lambda=0.01", "redo:period=50"], config["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.StartsWith("ppo:envs=1,steps-per-env=64,epochs=2,minibatch-size=16,lr=0.001", config["agent"]!.GetValue<string>());
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!;
        Assert.Equal("rl", result["kind"]!.GetValue<string>());
        Assert.Equal(2, result["levels"]!.AsArray().Count);
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal(6, lines.Count(l => l.Contains("\"type\":\"iteration\"", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.Contains("\"type\":\"level\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_continual_cartpole_preset_file_runs_with_flags_overriding_it()
    {
        using var folder = new Cli.TempFolder();
        string preset = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "configs", "rl-continual-cartpole.yaml");
        var (code, _, error) = Cli.Run([.. Tiny(folder.Sub("run"))[..1], preset, .. Tiny(folder.Sub("run"))[1..]]);
        Assert.True(code == 0, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Sub("run"), "config.json")))!;
        Assert.Equal(3, config["options"]!["iterations_per_level"]!.GetValue<int>());
        Assert.Equal(400, config["options"]!["episode_cap"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("--method", "ewc", "labelled data")]
    [InlineData("--method", "l2innit", "unknown method")]
    [InlineData("--agent", "ppo:preset=trac", "unknown preset")]
    [InlineData("--agent", "ppo:clip=-1", "clip")]
    [InlineData("--env", "pong", "unknown environment")]
    [InlineData("--return-to", "7", "return-to 7")]
    [InlineData("--change", "length=0.5,1,2", "3 values for 2 levels")]
    [InlineData("--change", "lenght=0.5,1", "no parameter 'lenght'. Did you mean 'length'")]
    [InlineData("--change", "length=0.5,x", "'x' is not a number")]
    [InlineData("--change", "length", "PARAMETER=v0,v1")]
    public void Bad_settings_exit_with_a_usage_error_that_names_them(string flag, string value, string message)
    {
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run(flag == "--agent" ? TinyWith(folder.Sub("run"), 3, value) : [.. Tiny(folder.Sub("run")), flag, value]);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Levels_can_change_the_dynamics_or_move_the_gridworlds_goal_instead_of_shifting_observations()
    {
        using var folder = new Cli.TempFolder();
        // Dynamics: CartPole's pole doubles in length at level 1; the observations are not shifted.
        string dynamics = folder.Sub("dynamics");
        var (code, _, error) = Cli.Run(Tiny(dynamics, "--env", "cartpole", "--change", "length=0.5,1.0"));
        Assert.True(code == 0, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dynamics, "config.json")))!;
        Assert.Equal("length=0.5,1.0", config["options"]!["change"]!.GetValue<string>());
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(dynamics, "result.json")))!["levels"]!.AsArray().Count);

        // Reward: the gridworld's goal moves from a corner to the opposite one; a cell outside the 5×5 grid is refused.
        string grid = folder.Sub("grid");
        (code, _, error) = Cli.Run(TinyWith(grid, 3, "dqn:steps-per-iteration=100,learning-starts=50,batch-size=16,hidden=16x16",
            "--env", "gridworld", "--change", "goal_row=0,4+goal_column=0,4", "--return-to", "0"));
        Assert.True(code == 0, error);
        var levels = JsonNode.Parse(File.ReadAllText(Path.Combine(grid, "result.json")))!["levels"]!.AsArray();
        Assert.Equal([0, 1, 0], levels.Select(l => l!["level"]!.GetValue<int>()));
        (code, _, error) = Cli.Run(Tiny(folder.Sub("off-grid"), "--env", "gridworld", "--change", "goal_row=0,5+goal_column=0,0"));
        Assert.Equal(2, code);
        Assert.Contains("level 1's value 5 is refused", error, StringComparison.Ordinal);

        // The default is the continual classic-control protocol's observation shifts, and its config has no 'change' key,
        // so configs (and sweep run names) written before the option existed stay as they were.
        string shifted = folder.Sub("shifted");
        (code, _, error) = Cli.Run(Tiny(shifted, "--change", "observation"));
        Assert.True(code == 0, error);
        var options = JsonNode.Parse(File.ReadAllText(Path.Combine(shifted, "config.json")))!["options"]!.AsObject();
        Assert.False(options.ContainsKey("change"));
        Assert.True(options.ContainsKey("sigma"));
    }

    [Fact]
    public void An_rl_run_killed_with_SIGKILL_resumes_to_the_same_result_bit_for_bit()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), killed = folder.Sub("killed");
        var reference = Cli.Run(TinyWith(whole, 6, Agent, "--method", "shrink-perturb"));
        Assert.True(reference.Code == 0, reference.Error);

        using (var process = Cli.Start(TinyWith(killed, 6, Agent, "--method", "shrink-perturb")))
        {
            string checkpoint = Path.Combine(killed, "checkpoint.safetensors");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            Thread.Sleep(new Random(42).Next(0, 40));
            process.Kill(entireProcessTree: true);   // SIGKILL on Unix
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "result.json")), "the run finished before it could be killed; the test proves nothing");

        var resumed = Cli.Run("rl", "--resume", killed);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(Numbers(Path.Combine(whole, "result.json")), Numbers(Path.Combine(killed, "result.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "metrics.jsonl")), File.ReadAllText(Path.Combine(killed, "metrics.jsonl")));
    }

    private static string Numbers(string path)
    {
        var result = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        result.Remove("provenance");
        result.Remove("seconds_per_iteration");
        result["config"]!.AsObject().Remove("provenance");
        return result.ToJsonString();
    }
}
