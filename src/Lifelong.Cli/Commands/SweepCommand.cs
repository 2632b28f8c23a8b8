using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Cli.Sweeps;
using Lifelong.Data;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong sweep FILE</c>, <c>sweep resume|status|table DIR</c>: many runs (axes × seeds), on this machine or a
/// Slurm cluster, resumable, aggregated over seeds.</summary>
public sealed class SweepCommand : ICommand
{
    private const string Usage = """
        usage: lifelong sweep FILE [--out DIR] [--dry-run] [executor flags]   run a sweep (again: finish it)
               lifelong sweep resume DIR [executor flags]                   finish an interrupted sweep
               lifelong sweep status DIR                                    queued / running / done / failed / diverged
               lifelong sweep table DIR [--format text|markdown|csv|json] [--metrics a,b] [--phase tuning|final|sweep]
                                    [--seeds 0,1] [--cells mean|mean-std|mean-std-ci] [--digits N] [--percent]
               lifelong sweep run-one DIR INDEX [--retries N]               one run (what executors start)

        FILE (YAML or JSON): a base run config (keys as in 'lifelong run' configs), 'grid:' axes (crossed), 'list:'
        axes (zipped), 'seeds: [0,1,2]' or 'seeds: 3', optional 'select:' and 'metrics:' (docs/sweeps.md).
        'command: meta' (or pretrain, transfer, distill; default run) sweeps that command: the base settings and
        axes are then its flags (iterations, inner_lr, ...).
          --out DIR                 sweep directory (default sweeps/<file name>)
          --dry-run                 list the runs (hash, settings, seed) and stop
          --metrics a,b             table columns: acc, avg_incremental_acc, bwt, fwt, forgetting, online_accuracy, wall_seconds,
                                    a result.json path (online_accuracy[-1], srank, method.collision_rate) or A - B
                                    (meta: accuracy, interval95, final_loss; pretrain: test_accuracy, final_loss;
                                    distill: teacher, student_alone, student_distilled; transfer: fine_tune, fine_tune@K, ...)
          --seeds 0,1               table: only the runs on these seeds
          --cells KIND --digits N   table: mean, mean-std or mean-std-ci (default), printed with N decimals (default 4)
          --percent                 table: fractions as percentages
          --retries N               retries of a run that fails with an error (default 2; a diverged run is never retried)
          --data DIR                dataset cache (default $LIFELONG_DATA)
          --executor local|slurm    where runs go (default local)
          --parallel N              local: runs at once (default: the number of cores), each with cores/N threads
          --partition P --time T --cpus-per-task N --mem M   slurm: passed to sbatch (cpus-per-task default 1)
          --max-concurrent K        slurm: the array's %K
          --lifelong CMD            slurm: how the nodes start lifelong (default: as this process was started)
          --no-wait                 slurm: submit and return; run the same command again to continue
        """;

    private static readonly string[] s_valueFlags = ["out", "metrics", "retries", "data", "executor", "parallel", "partition", "time", "cpus-per-task", "mem", "max-concurrent", "lifelong", "format", "phase", "seeds", "cells", "digits"];
    private static readonly string[] s_switches = ["dry-run", "no-wait", "percent"];

    /// <inheritdoc/>
    public string Name => "sweep";

    /// <inheritdoc/>
    public string Summary => "run many runs (axes × seeds) locally or on Slurm; resume, status, mean ± std / 95% CI tables";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Count == 0 ? error : output).WriteLine(Usage);
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        try
        {
            var (positional, flags) = Parse(args);
            string verb = positional[0];
            string Need(int i, string what) => positional.Count > i ? positional[i] : throw new ConfigurationException($"'sweep {verb}' needs {what}.");
            int retries = Int(flags, "retries", 2, min: 0);
            return verb switch
            {
                "status" => Status(Need(1, "the sweep directory"), output),
                "table" => Table(Need(1, "the sweep directory"), flags, output),
                "run-one" => RunOne(Need(1, "the sweep directory"), Need(2, "the run's index"), retries, flags, output),
                "resume" => Execute(Need(1, "the sweep directory"), SweepPlan.Load(Need(1, "the sweep directory")), flags, output),
                _ => Start(verb, flags, output),
            };
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"lifelong sweep: {e.Message}");
            error.WriteLine("see: lifelong sweep --help");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"lifelong sweep: {e.Message}");
            return ExitCode.Failure;
        }
    }

    private static int Start(string file, Dictionary<string, string> flags, TextWriter output)
    {
        var (definition, metrics) = SweepFile.Read(file);
        string name = Path.GetFileNameWithoutExtension(file);
        var (command, namesMetrics) = SweepFile.Command(file);
        var plan = SweepCommands.Find(command) is { } kind
            ? ExperimentSweep.Create(name, definition, kind, Metrics(flags, kind) ?? (namesMetrics ? metrics : kind.DefaultMetrics))
            : SweepPlan.Create(name, definition, point => SweepFile.ConfigOf(definition, point), Metrics(flags, null) ?? metrics);
        string directory = flags.GetValueOrDefault("out") ?? Path.Combine("sweeps", name);
        if (flags.ContainsKey("dry-run"))
        {
            output.WriteLine($"{plan.Runs.Count} runs{(plan.Select is null ? "" : $" to tune on (then the chosen settings on seeds {string.Join(", ", plan.Select.FinalSeeds)})")}, into {Path.GetFullPath(directory)}:");
            foreach (var run in plan.Runs) output.WriteLine($"  {run.Index,4}  {run.Hash}  {run.Label}  seed {run.Seed}");
            return ExitCode.Ok;
        }
        if (File.Exists(SweepPlan.PathIn(directory)))
        {
            var existing = SweepPlan.Load(directory);
            var planned = existing.Runs.Where(r => r.Phase != "final").Select(r => r.Hash);
            if (!planned.SequenceEqual(plan.Runs.Select(r => r.Hash)))
                throw new ConfigurationException($"{Path.GetFullPath(directory)} holds another sweep (its runs differ from {file}'s); choose another --out, or continue it with 'lifelong sweep resume {directory}'.");
            output.WriteLine($"continuing the sweep in {Path.GetFullPath(directory)}");
            return Execute(directory, existing with { Metrics = plan.Metrics }, flags, output);
        }
        plan.Save(directory);
        return Execute(directory, plan, flags, output);
    }

    /// <summary>Runs what is not finished; under a selection, chooses once the tuning runs are over and runs the chosen
    /// settings on the final seeds; prints the table.</summary>
    private static int Execute(string directory, SweepPlan plan, Dictionary<string, string> flags, TextWriter output)
    {
        int retries = Int(flags, "retries", 2, min: 0);
        string executor = flags.GetValueOrDefault("executor") ?? "local";
        Action<IReadOnlyList<int>> run = executor switch
        {
            "local" => indices => new LocalExecutor(Int(flags, "parallel", Environment.ProcessorCount, min: 1), retries, flags.GetValueOrDefault("data")).Run(directory, plan, indices, output),
            "slurm" => indices => new SlurmExecutor(retries, flags.GetValueOrDefault("data"), flags.GetValueOrDefault("partition"), flags.GetValueOrDefault("time"),
                Int(flags, "cpus-per-task", 1, min: 1), flags.GetValueOrDefault("mem"), flags.ContainsKey("max-concurrent") ? Int(flags, "max-concurrent", 1, min: 1) : null,
                flags.GetValueOrDefault("lifelong"), !flags.ContainsKey("no-wait")).Run(directory, plan, indices, output),
            _ => throw new ConfigurationException($"unknown executor '{executor}'; use local or slurm."),
        };
        if (Metrics(flags, SweepCommands.Find(plan.Command)) is { } metrics) plan = plan with { Metrics = metrics };
        var attempted = new HashSet<int>();
        while (true)
        {
            // Each run is tried once per invocation (run-one retries inside); a run whose lock turns out stale (its holder
            // was killed) becomes queued and is picked up by the next pass.
            var pending = Pending(directory, plan, retries, attempted);
            int done = plan.Runs.Count(r => SweepRunState.StatusOf(directory, r) == "done");
            output.WriteLine($"{plan.Runs.Count} runs: {done} done, {pending.Count} to run");
            while (pending.Count > 0)
            {
                run(pending);
                attempted.UnionWith(pending);
                pending = Pending(directory, plan, retries, attempted);
            }
            if (executor == "slurm" && flags.ContainsKey("no-wait"))
            {
                output.WriteLine($"submitted; follow it with 'lifelong sweep status {directory}', and run the same command again once the array has ended.");
                return ExitCode.Ok;
            }
            if (plan.Select is null || plan.Selected) break;
            var statuses = plan.Runs.Select(r => SweepRunState.StatusOf(directory, r)).ToList();
            if (statuses.Any(s => s is "queued" or "running")) { output.WriteLine("tuning runs are not all finished; the selection waits for them (run the same command again)."); return ExitCode.Ok; }
            plan = Select(directory, plan, output);
            plan.Save(directory);
        }
        output.WriteLine();
        output.Write(SweepTable.Build(directory, plan, plan.Metrics, kind: SweepCommands.Find(plan.Command)).Format("text"));
        var counts = plan.Runs.GroupBy(r => SweepRunState.StatusOf(directory, r)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"\n{CountLine(counts)}; results: {Path.GetFullPath(directory)} (lifelong report {directory})");
        return counts.Keys.Any(k => k is "failed" or "diverged") ? ExitCode.Failure : ExitCode.Ok;
    }

    private static List<int> Pending(string directory, SweepPlan plan, int retries, HashSet<int> attempted) =>
        [.. plan.Runs.Where(r => !attempted.Contains(r.Index)).Where(r => SweepRunState.StatusOf(directory, r) switch
        {
            "queued" => true,
            "failed" => SweepRunState.Load(directory, r.Hash).Failures <= retries,
            _ => false,
        }).Select(r => r.Index)];

    private static SweepPlan Select(string directory, SweepPlan plan, TextWriter output)
    {
        var select = plan.Select!;
        var kind = SweepCommands.Find(plan.Command);
        var metric = SweepMetrics.Of(select.Metric, kind);
        var candidates = plan.Variants("tuning").Select(variant =>
        {
            var files = variant.Select(r => Path.Combine(SweepPlan.RunDirectoryOf(directory, r), "result.json")).ToList();
            var values = files.Where(File.Exists).Select(metric.Value).ToList();
            return (variant[0].Variant, select.GroupOf(variant[0].Settings), (IReadOnlyList<double>)values, values.Count == variant.Count);
        }).ToList();
        var chosen = select.Choose(candidates);
        output.WriteLine($"\nselection: best {metric.Name} ({(select.Maximize ? "max" : "min")}) over tuning seeds {string.Join(", ", select.TuningSeeds)}, by {string.Join(", ", select.By)}:");
        foreach (var (group, variant) in chosen)
        {
            var c = candidates.First(k => k.Variant == variant);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group}: {plan.Runs.First(r => r.Variant == variant).Label}  ({metric.Name} {c.Item3.Average():F4})"));
        }
        return plan.WithFinalRuns(chosen.Select(c => c.Value), kind);
    }

    private static int Status(string directory, TextWriter output)
    {
        var plan = SweepPlan.Load(directory);
        var counts = plan.Runs.GroupBy(r => SweepRunState.StatusOf(directory, r)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{plan.Name}: {plan.Runs.Count} runs: {CountLine(counts)}");
        if (plan.Select is not null && !plan.Selected) output.WriteLine($"selection pending: the final runs on seeds {string.Join(", ", plan.Select.FinalSeeds)} are added once the tuning runs finish");
        foreach (var run in plan.Runs.Where(r => SweepRunState.StatusOf(directory, r) is "failed" or "diverged"))
            output.WriteLine($"  {SweepRunState.StatusOf(directory, run)} {run.Hash}  {run.Label}  seed {run.Seed}: {SweepRunState.Load(directory, run.Hash).Message}");
        string jobs = Path.Combine(directory, "slurm", "jobs");
        if (File.Exists(jobs))
        {
            string ids = string.Join(',', File.ReadAllLines(jobs).Where(l => l.Length > 0));
            var (code, listed, problem) = SlurmExecutor.Execute("squeue", ["-h", "-r", "-j", ids, "-o", "%T"]);
            output.WriteLine(code == 0 ? $"slurm (squeue): {SlurmCounts(listed)}"
                : problem.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? "slurm (squeue): no job listed (the arrays have ended)"
                : $"slurm: squeue unavailable ({problem.Trim()})");
            var (accounted, history, _) = SlurmExecutor.Execute("sacct", ["-n", "-X", "-P", "-j", ids, "-o", "State"]);
            if (accounted == 0 && history.Trim().Length > 0) output.WriteLine($"slurm (sacct): {SlurmCounts(history)}");
        }
        return ExitCode.Ok;
    }

    private static string SlurmCounts(string lines)
    {
        var states = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).GroupBy(s => s.ToLowerInvariant()).Select(g => $"{g.Count()} {g.Key}").ToList();
        return states.Count == 0 ? "no job listed" : string.Join(", ", states);
    }

    private static int Table(string directory, Dictionary<string, string> flags, TextWriter output)
    {
        var plan = SweepPlan.Load(directory);
        IReadOnlyCollection<ulong>? seeds = flags.TryGetValue("seeds", out string? list)
            ? [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong seed) ? seed
                : throw new ConfigurationException($"--seeds {list}: '{s}' is not a seed (a whole number ≥ 0).")).Distinct()]
            : null;
        var style = new SweepTableStyle(flags.GetValueOrDefault("cells") ?? "mean-std-ci", Int(flags, "digits", 4, min: 0), flags.ContainsKey("percent"));
        var kind = SweepCommands.Find(plan.Command);
        var table = SweepTable.Build(directory, plan, Metrics(flags, kind) ?? plan.Metrics, flags.GetValueOrDefault("phase"), kind, seeds);
        output.Write(table.Format(flags.GetValueOrDefault("format") ?? "text", style));
        return ExitCode.Ok;
    }

    private static int RunOne(string directory, string indexText, int retries, Dictionary<string, string> flags, TextWriter output)
    {
        if (!int.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
            throw new ConfigurationException($"run index '{indexText}' is not a whole number.");
        string outcome = SweepRunOne.Execute(directory, SweepPlan.Load(directory), index, retries, flags.GetValueOrDefault("data"), output);
        return outcome is "failed" or "diverged" ? ExitCode.Failure : ExitCode.Ok;
    }

    private static string CountLine(Dictionary<string, int> counts) =>
        string.Join(", ", new[] { "queued", "running", "done", "failed", "diverged" }.Select(s => $"{counts.GetValueOrDefault(s)} {s}"));

    private static IReadOnlyList<string>? Metrics(Dictionary<string, string> flags, SweepKind? kind) =>
        flags.TryGetValue("metrics", out string? text) ? [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(m => SweepMetrics.Of(m, kind).Name)] : null;

    private static int Int(Dictionary<string, string> flags, string key, int fallback, int min)
    {
        if (!flags.TryGetValue(key, out string? text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new ConfigurationException($"--{key} {text}: expected a whole number ≥ {min}.");
        return value;
    }

    private static (List<string> Positional, Dictionary<string, string> Flags) Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) { positional.Add(args[i]); continue; }
            string key = args[i][2..];
            if (s_switches.Contains(key)) { flags[key] = "true"; continue; }
            if (!s_valueFlags.Contains(key))
                throw new ConfigurationException($"unknown flag --{key}. Valid flags: {string.Join(", ", s_valueFlags.Concat(s_switches).Select(f => "--" + f))}.");
            if (i + 1 >= args.Count) throw new ConfigurationException($"--{key} needs a value.");
            flags[key] = args[++i];
        }
        if (positional.Count == 0) throw new ConfigurationException("no sweep file or subcommand given.");
        return (positional, flags);
    }
}
