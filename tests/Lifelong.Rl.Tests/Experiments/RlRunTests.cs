using Lifelong.Rl.Experiments;
using Lifelong.Runs;

namespace Lifelong.Rl.Tests.Experiments;

public sealed class RlRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lifelong-rl-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A PPO run of two levels of three tiny iterations, with methods that keep state (θ₀, RNG, unit statistics).</summary>
    private static RlConfig TinyPpo(params string[] methods) => new(RlConfig.RlKind,
        AgentFactory.Resolve("ppo:preset=cchain,hidden=16x16,steps-per-env=64,minibatch-size=16,epochs=2"), methods, null, 3,
        new RlOptions(Levels: 2, IterationsPerLevel: 3, ReturnTo: 0, CheckpointEvery: 2, ProbeSize: 32));

    private static RlConfig TinyDqn() => new(RlConfig.RlKind,
        AgentFactory.Resolve("dqn:steps-per-iteration=100,learning-starts=50,train-frequency=4,target-network-frequency=30,buffer-size=150,batch-size=16,hidden=16x16"), ["redo:period=7"], null, 5,
        new RlOptions(Levels: 2, IterationsPerLevel: 3, CheckpointEvery: 4, ProbeSize: 32));

    private RlResult Run(RlConfig config, string name, bool resume = false, int? stopAfter = null) =>
        new RlRun(config, new RunDirectory(Path.Combine(_root, name))).Execute(resume, stopAfter)!;

    [Theory]
    [InlineData("ppo")]
    [InlineData("dqn")]
    public void A_run_interrupted_between_checkpoints_resumes_to_the_same_bits(string agent)
    {
        var config = agent == "ppo" ? TinyPpo("l2init:lambda=0.01", "shrink-perturb", "cbp") : TinyDqn();
        var straight = Run(config, "straight");
        // Stop after 5 iterations: the checkpoint holds 4 (PPO) or 3 (DQN), and metrics.jsonl has lines beyond it.
        Assert.Null(new RlRun(config, new RunDirectory(Path.Combine(_root, "interrupted"))).Execute(resume: false, stopAfter: 5));
        var resumed = Run(config, "interrupted", resume: true);

        var a = Lifelong.NN.SafeTensors.Load(Path.Combine(_root, "straight", RunCheckpoint.FileName)).Tensors;
        var b = Lifelong.NN.SafeTensors.Load(Path.Combine(_root, "interrupted", RunCheckpoint.FileName)).Tensors;
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (key, value) in a) Assert.True(value.ToArray().SequenceEqual(b[key].ToArray()), key);
        Assert.Equal(Comparable(straight), Comparable(resumed));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "straight", "metrics.jsonl")), File.ReadAllBytes(Path.Combine(_root, "interrupted", "metrics.jsonl")));
    }

    [Fact]
    public void A_resume_with_other_settings_is_refused()
    {
        Run(TinyPpo(), "run", stopAfter: null);
        var other = TinyPpo() with { Seed = 4 };
        var e = Assert.Throws<InvalidDataException>(() => Run(other, "run", resume: true));
        Assert.Contains("config.json differs", e.Message);
    }

    [Fact]
    public void Level_switches_reach_the_methods_task_hooks_only_when_the_agent_is_told()
    {
        // Shrink & Perturb once per task with s = 1, σ = 0 zeroes every weight when a task after the first starts. Then the
        // hidden layers output 0 for every input and receive no gradient, so under plain SGD (no momentum carried over)
        // their weights stay exactly 0 to the end.
        string method = "shrink-perturb:shrink=1,sigma=0,once-per-task=true";
        var told = new RlRun(TinyPpo(method) with { Optimizer = "sgd:lr=0.01" }, new RunDirectory(Path.Combine(_root, "told")));
        told.Execute(resume: false);
        Assert.All(told.Agent.Network.NamedParameters().Where(p => p.Name.Contains(".fc", StringComparison.Ordinal)), p => Assert.All(p.Parameter.ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(2, told.Learner.CurrentTask!.Id);

        var untold = new RlRun(TinyPpo(method) with { Optimizer = "sgd:lr=0.01", Options = TinyPpo().Options with { TellBoundaries = false } }, new RunDirectory(Path.Combine(_root, "untold")));
        untold.Execute(resume: false);
        Assert.Contains(untold.Agent.Network.Parameters().SelectMany(p => p.ToArray()), v => v != 0);
        Assert.Equal(0, untold.Learner.CurrentTask!.Id);
    }

    [Fact]
    public void The_result_summarises_every_visit_and_measures_the_revisited_level()
    {
        var result = Run(TinyPpo(), "summary");
        Assert.Equal("rl", result.Kind);
        Assert.Equal([0, 1, 0], result.Levels.Select(l => l.Level));
        Assert.All(result.Levels, l => Assert.Equal(3, l.Curve.Count));
        var revisit = result.Levels[2];
        double firstIterations = revisit.Curve.Take(5).Where(r => r is not null).Average(r => r!.Value);
        Assert.Equal(firstIterations, revisit.ReturnOnRevisit!.Value, 9);
        Assert.Equal(result.Levels[0].FinalReturn - revisit.ReturnOnRevisit, revisit.Forgetting);
        Assert.Null(result.Levels[1].Forgetting);
        // The headline number is the mean of every iteration's mean return.
        Assert.Equal(result.Levels.SelectMany(l => l.Curve).Average(r => r!.Value), result.AveragePerformance!.Value, 9);
        Assert.Equal(["policy.fc1", "policy.fc2", "value.fc1", "value.fc2"], result.Levels[0].Probe.Layers.Select(l => l.Name));
        Assert.All(result.Levels, l => Assert.True(l.Probe.DistanceFromInit > 0));
    }

    [Fact]
    public void The_layer_norm_and_crelu_variants_build_the_agents_networks_and_train_with_unit_recycling()
    {
        var config = TinyPpo("redo:period=5", "l2init") with { Agent = AgentFactory.Resolve("ppo:preset=cchain,hidden=16x16,steps-per-env=64,minibatch-size=16,epochs=1,activation=crelu,layer-norm=true") };
        var run = new RlRun(config, new RunDirectory(Path.Combine(_root, "variants")));
        var shapes = run.Agent.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape.ToArray());
        Assert.Equal([16], shapes["policy.norm1.weight"]);
        Assert.Equal([16, 32], shapes["policy.fc2.weight"]);   // CReLU doubles the width the next layer reads
        Assert.Equal([1, 32], shapes["value.head.weight"]);
        var result = run.Execute(resume: false)!;
        Assert.Equal(4, result.Levels[0].Probe.Layers.Count);
        Assert.All(result.Levels, l => Assert.NotNull(l.FinalReturn));
    }

    [Fact]
    public void The_general_preset_initialises_orthogonally_takes_16_updates_per_iteration_and_anneals_the_step_size()
    {
        var config = new RlConfig(RlConfig.RlKind, AgentFactory.Resolve("ppo"), [], null, 0, new RlOptions(Environment: "cartpole", Levels: 1, IterationsPerLevel: 4, CheckpointEvery: 4));
        var run = new RlRun(config, new RunDirectory(Path.Combine(_root, "general")));
        var ppo = (Lifelong.Rl.Agents.Ppo)run.Agent;
        // CleanRL's layer_init: the policy head's rows are orthogonal with norm 0.01, the hidden layers' with norm √2
        // (64 × 4: the 4 columns are orthonormal, scaled by √2), biases zero.
        var head = ppo.ActorCritic.Policy.Head.Weight.ToArray();
        double Dot(int a, int b) => Enumerable.Range(0, 64).Sum(i => (double)head[a * 64 + i] * head[b * 64 + i]);
        Assert.Equal(1e-4, Dot(0, 0), 9);
        Assert.Equal(1e-4, Dot(1, 1), 9);
        Assert.Equal(0, Dot(0, 1), 9);
        var fc1 = ppo.ActorCritic.Value.HiddenLayers[0].Weight.ToArray();
        Assert.Equal(2, Enumerable.Range(0, 64).Sum(r => (double)fc1[r * 4] * fc1[r * 4]), 5);
        Assert.All(ppo.ActorCritic.Value.HiddenLayers[0].Bias!.ToArray(), b => Assert.Equal(0f, b));

        var result = run.Execute(resume: false)!;
        Assert.Equal(4 * 128 * 4, result.EnvSteps);
        Assert.All(File.ReadLines(Path.Combine(_root, "general", "metrics.jsonl")).Where(l => l.Contains("\"iteration\"", StringComparison.Ordinal)), l => Assert.Contains("\"updates\":16", l));
        // The last iteration ran at 2.5e-4 · (1 − 3/4).
        Assert.Equal(2.5e-4 / 4, run.Learner.Optimizer.ParamGroups[0].Lr, 12);
    }

    [Fact]
    public void Target_kl_stops_an_iterations_epochs_after_the_first_epoch_that_moves_the_policy_past_it()
    {
        // 64 rows in minibatches of 16: 4 updates an epoch, 3 epochs. A target no update can stay under stops every
        // iteration after its first epoch (CleanRL checks after the epoch); without a target all 12 updates run.
        string Agent(string extra) => "ppo:preset=cchain,hidden=16x16,steps-per-env=64,minibatch-size=16,epochs=3" + extra;
        RlConfig Config(string extra) => new(RlConfig.RlKind, AgentFactory.Resolve(Agent(extra)), [], null, 1,
            new RlOptions(Environment: "cartpole", Levels: 1, IterationsPerLevel: 3, CheckpointEvery: 3));
        string[] Updates(string name) => [.. File.ReadLines(Path.Combine(_root, name, "metrics.jsonl"))
            .Where(l => l.Contains("\"iteration\"", StringComparison.Ordinal))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("updates").ToString())];
        Run(Config(""), "no-target");
        Run(Config(",target-kl=1e-12"), "tiny-target");
        Run(Config(",target-kl=1e6"), "huge-target");
        Assert.Equal(["12", "12", "12"], Updates("no-target"));
        Assert.Equal(["4", "4", "4"], Updates("tiny-target"));
        Assert.Equal(["12", "12", "12"], Updates("huge-target"));
    }

    [Fact]
    public void An_episode_that_ends_on_the_last_step_of_a_rollout_is_counted_once()
    {
        // MountainCar's 200-step limit equals the 200-step rollout, and an untrained policy never reaches the flag in
        // 200 steps: each iteration is exactly one truncated episode of return −200, with no empty "cut" episode after it.
        var config = new RlConfig(RlConfig.RlKind, AgentFactory.Resolve("ppo:preset=cchain,hidden=16x16,steps-per-env=200,epochs=1"), [], null, 0,
            new RlOptions(Environment: "mountain-car", Levels: 1, IterationsPerLevel: 3, CheckpointEvery: 3));
        var level = Run(config, "mountain-car").Levels[0];
        Assert.Equal(3, level.Episodes);
        Assert.All(level.Curve, r => Assert.Equal(-200, r));
    }

    [Fact]
    public void Ppo_with_the_continual_cartpole_settings_reaches_cartpole_v0s_solved_return_in_its_first_level()
    {
        // The C-CHAIN preset with 64-64 networks, 20 iterations of 800 steps. Seeds 0-3 by hand: final returns (last 20
        // episodes) 326.3, 346.3, 264.6, 240.1; first-iteration mean returns 21.6, 21.1, 23.5, 22.9.
        var config = new RlConfig(RlConfig.RlKind, AgentFactory.Resolve("ppo:preset=cchain,hidden=64x64"), [], null, 0, new RlOptions(Levels: 1, IterationsPerLevel: 20, CheckpointEvery: 20));
        var result = Run(config, "solve");
        Assert.True(result.Levels[0].Curve[0] < 50, $"first iteration {result.Levels[0].Curve[0]}");
        Assert.True(result.Levels[0].FinalReturn >= 195, $"final return {result.Levels[0].FinalReturn}");
        Assert.NotNull(result.Levels[0].StepsToThreshold);
    }

    [Fact]
    public void Dqn_learns_to_balance_the_pole_beyond_a_random_policy_within_a_few_thousand_steps()
    {
        // Double DQN with a faster schedule than CleanRL's (lr 1e-3, updates every 2 steps from step 500, target every 100,
        // ε over the first 30% of the run). By hand, seeds 0-2 over 16 iterations of 500 steps: the first iteration's mean
        // return 19.8-22.2 (a nearly random policy), the fifth 114-171.
        var config = new RlConfig(RlConfig.RlKind, AgentFactory.Resolve("dqn:lr=1e-3,learning-starts=500,train-frequency=2,target-network-frequency=100,batch-size=64,exploration-fraction=0.3,steps-per-iteration=500"),
            [], null, 0, new RlOptions(Environment: "cartpole", Levels: 1, IterationsPerLevel: 5, CheckpointEvery: 5));
        var curve = Run(config, "dqn").Levels[0].Curve;
        Assert.True(curve[^1] > 3 * curve[0], $"returns per iteration: {string.Join(", ", curve)}");
    }

    private static string Comparable(RlResult result) => (result with { Provenance = null, SecondsPerIteration = null }).ToJson();
}

public class RlLevelChangeTests
{
    [Fact]
    public void A_parameter_change_gives_each_level_its_listed_values_and_no_observation_offset()
    {
        var levels = new RlOptions(Environment: "mountain-car", Levels: 3, Change: "friction=0,0.01,0.02+force=0.001,0.0015,0.002")
            .CreateLevels(2, new Lifelong.Tensors.Rng(0));
        Assert.Equal([0, 0.01, 0.02], levels.Select(l => l.Parameters["friction"]));
        Assert.Equal([0.001, 0.0015, 0.002], levels.Select(l => l.Parameters["force"]));
        Assert.All(levels, l => Assert.Null(l.ObservationOffset));
    }

    [Fact]
    public void The_default_change_is_the_observation_shift_protocol()
    {
        var rng = new Lifelong.Tensors.Rng(4);
        var byDefault = new RlOptions(Levels: 3).CreateLevels(4, rng.Split("levels"));
        var shifts = Lifelong.Rl.Levels.ObservationShifts.Create(3, 4, 2, rng.Split("levels"));
        Assert.Equal(shifts.Select(l => l.ObservationOffset), byDefault.Select(l => l.ObservationOffset));
    }
}
