using System.Globalization;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Results;
using Lifelong.Rl.Experiments;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong rl ...</c>: an agent (PPO, DQN) with continual-learning methods on a schedule of levels (<see cref="RlRun"/>),
/// written to a run directory like <c>run</c>'s and resumable after any interruption.</summary>
public sealed class RlCommand : IExperimentCommand
{
    private const string Usage = """
        usage: lifelong rl [CONFIG.yaml|CONFIG.json] [settings...]
               lifelong rl --resume DIR          continue an interrupted run from its checkpoint

        settings (defaults in brackets; a config file holds the same keys, flags override it):
          --env NAME                    continual-cartpole, cartpole, continual-acrobot, acrobot, mountain-car, gridworld [continual-cartpole]
          --agent SPEC                  ppo[:preset=general|cchain,key=value,...] or dqn[:key=value,...] [ppo:preset=cchain]
          --method SPEC                 methods joined by '+': l2init:lambda=0.01, shrink-perturb, redo, cbp, ...
                                        (the methods that apply to agents; none: plain agent)
          --optimizer SPEC              replace the agent's Adam (sgd:lr=0.01 for upgd)
          --seed N                      root seed [0]
          --levels N                    levels [10]
          --change WHAT                 what a level changes [observation: an offset ~ N(0, sigma²) per dimension, level 0
                                        unshifted]; or parameters, one value per level, lists joined by '+':
                                        length=0.5,1,2 (dynamics), goal_row=0,4,4+goal_column=0,0,4 (gridworld: reward)
          --iterations-per-level N      agent iterations per level visit [200]
          --sigma S                     [2]
          --episode-cap N               episode length limit [400 CartPole/Acrobot, 200 MountainCar]
          --return-to L                 visit level L again at the end (forgetting)
          --tell-boundaries true|false  call the methods' task hooks at level switches [true]
          --threshold R                 return for steps-to-threshold [195 CartPole]
          --last-episodes N             a visit's final return averages its last N episodes [20]
          --revisit-iterations N        a revisit's return averages its first N iterations [5]
          --probe-size N                recent observations the probes use [512]
          --checkpoint-every N          iterations between checkpoints [10]
          --out DIR                     run directory [runs/rl-<time>]
          --json                        print result.json's summary as one JSON object
        """;

    private static readonly string[] Known = ["env", "agent", "method", "optimizer", "seed", "levels", "iterations-per-level", "sigma", "episode-cap", "return-to",
        "tell-boundaries", "threshold", "last-episodes", "revisit-iterations", "probe-size", "checkpoint-every", "change", "out", "resume"];

    /// <inheritdoc/>
    public string Name => "rl";

    /// <inheritdoc/>
    public string Kind => RlConfig.RlKind;

    /// <inheritdoc/>
    public string Summary => "reinforcement learning: PPO or DQN with the plasticity methods on environments whose levels change (continual CartPole)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(Usage);
            return ExitCode.Ok;
        }
        try
        {
            var (config, directory, resume, json) = Prepare(args);
            var run = new RlRun(config, directory);
            if (!resume) RunDirectory.WriteAtomically(directory.ConfigFile, (config with { Provenance = RunProvenance.Capture([]) }).ToJson() + "\n");
            var progress = PhaseProgress.OnStandardError(error);
            run.IterationCompleted = record => progress.Report($"level visit {record.Visit} (level {record.Level})", record.Iteration + 1, run.Iterations,
                record.MeanReturn is { } r ? $"return {r:F1}" : "");
            run.VisitCompleted = level => error.WriteLine($"visit {level.Visit} (level {level.Level}): final return {Format(level.FinalReturn)}, mean {Format(level.MeanReturn)}, steps to threshold {level.StepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "-"}"
                + (level.Forgetting is { } f ? $", forgetting {f:F1}" : ""));
            var result = run.Execute(resume)!;
            error.WriteLine($"run directory: {directory.Path}");
            if (json) output.WriteLine(result.ToJson().ReplaceLineEndings(" "));
            else
            {
                output.WriteLine($"{config.Agent.Split(':')[0]}{(config.Methods.Count > 0 ? " + " + string.Join(" + ", config.Methods) : "")} on {config.Options.Environment}, seed {config.Seed}: {result.Iterations} iterations, {result.EnvSteps:N0} steps");
                output.WriteLine($"  average performance (mean per-iteration return over the run): {Format(result.AveragePerformance)}");
                foreach (var level in result.Levels)
                    output.WriteLine($"  visit {level.Visit,2} level {level.Level,2}: final {Format(level.FinalReturn),7}  mean {Format(level.MeanReturn),7}  dormant {level.Probe.Layers.Select(l => l.DormantFraction).DefaultIfEmpty().Average():F3}  |θ| {level.Probe.WeightMagnitude:F4}  ‖θ−θ₀‖ {level.Probe.DistanceFromInit:F2}");
                if (result.SecondsPerIteration is { } seconds) output.WriteLine($"  {seconds:F3} s per iteration");
            }
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException)
        {
            error.WriteLine($"lifelong rl: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or NotFiniteNumberException)
        {
            error.WriteLine($"lifelong rl: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <inheritdoc/>
    public JsonObject Resolve(IReadOnlyList<string> args)
    {
        var settings = new SettingArgs(args, [.. Known.Where(k => k is not ("out" or "resume"))], []);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in Known)
            if (settings.Has(key)) values[key] = settings.Get(key, "");
        return ExperimentArgs.ToJson(Resolve(values) with { Provenance = null });
    }

    /// <inheritdoc/>
    public void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log)
    {
        var resolved = ExperimentArgs.FromJson<RlConfig>(config, directory) with { Provenance = null };
        var runDirectory = new RunDirectory(directory);
        if (resume && File.Exists(Path.Combine(directory, "result.json"))) return;
        if (!resume) RunDirectory.WriteAtomically(runDirectory.ConfigFile, (resolved with { Provenance = RunProvenance.Capture([]) }).ToJson() + "\n");
        new RlRun(resolved, runDirectory).Execute(resume);
        log.WriteLine($"run directory: {runDirectory.Path}");
    }

    private static string Format(double? value) => value?.ToString("F1", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The config and directory of a new run (config file, then flags), or of the run <c>--resume DIR</c> continues.</summary>
    private static (RlConfig Config, RunDirectory Directory, bool Resume, bool Json) Prepare(IReadOnlyList<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (list.Count > 0 && !list[0].StartsWith("--", StringComparison.Ordinal))
        {
            foreach (var (key, items) in ConfigFile.Read(list[0]))
            {
                string name = key.Replace('_', '-') is "methods" ? "method" : key.Replace('_', '-');
                if (!Known.Contains(name) || name is "resume") throw new ConfigurationException($"{list[0]}: unknown setting '{key}'.{Spelling.Suggest(name, Known)} Valid settings: {string.Join(", ", Known.Where(k => k != "resume"))}.");
                values[name] = string.Join('+', items);
            }
            list.RemoveAt(0);
        }
        var settings = new SettingArgs(list, Known, ["json"]);
        foreach (string key in Known)
            if (settings.Has(key)) values[key] = settings.Get(key, "");
        bool json = settings.Has("json");
        if (values.TryGetValue("resume", out string? resumed))
        {
            if (values.Count > 1) throw new ConfigurationException($"--resume takes its settings from the run's config.json; drop --{string.Join(", --", values.Keys.Where(k => k != "resume"))}.");
            var existing = new RunDirectory(resumed);
            if (!File.Exists(existing.ConfigFile)) throw new ConfigurationException($"--resume {resumed}: no config.json there; it is not a run directory.");
            return (RlConfig.Load(existing.ConfigFile) with { Provenance = null }, existing, true, json);
        }
        var config = Resolve(values);
        var directory = new RunDirectory(values.TryGetValue("out", out var o) ? o : Path.Combine("runs", $"rl-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        if (directory.HoldsRun) throw new ConfigurationException($"{directory.Path} already holds a run; continue it with 'lifelong rl --resume {directory.Path}' or choose another --out.");
        return (config, directory, false, json);
    }

    /// <summary>The fully resolved config of a new run from its settings (config file keys and flags, by flag name).</summary>
    private static RlConfig Resolve(Dictionary<string, string> values)
    {
        string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        T Bound<T>(string key, T fallback) => values.TryGetValue(key, out var v) ? (T)OptionBinder.Convert(v, typeof(T), $"--{key}", acceptsNull: true)! : fallback;
        var options = new RlOptions(Get("env", "continual-cartpole"), Bound("levels", 10), Bound("iterations-per-level", 200), Bound("sigma", 2.0),
            Bound<int?>("episode-cap", null), Bound<int?>("return-to", null), Bound("tell-boundaries", true), Bound<double?>("threshold", null),
            Bound("last-episodes", 20), Bound("revisit-iterations", 5), Bound("probe-size", 512), Bound("checkpoint-every", 10),
            values.GetValueOrDefault("change") is null or "observation" ? null : values["change"]);
        SettingArgs.Validate(options);
        options.Validate();
        List<string> methods = values.TryGetValue("method", out var m) && m.Length > 0 && m != "none" ? [.. MethodCatalog.SplitComposite(m)] : [];
        return new RlConfig(RlConfig.RlKind, AgentFactory.Resolve(Get("agent", "ppo:preset=cchain")), methods, values.GetValueOrDefault("optimizer"), Bound("seed", 0UL), options);
    }
}
