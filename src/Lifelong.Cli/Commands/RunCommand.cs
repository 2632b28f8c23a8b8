using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong run [CONFIG] [--flag value ...]</c> and <c>lifelong run --resume DIR</c>.</summary>
public sealed class RunCommand : ICommand
{
    private const string Usage = """
        usage: lifelong run [CONFIG.yaml|CONFIG.json] [settings...]
               lifelong run --resume DIR

        settings (flags override the config file):
          --scenario NAME[:key=value,...]   permuted-mnist, rotated-mnist, split-mnist, split-fashion-mnist, random-label-mnist, easy-hard
          --tasks N --steps N --batch-size N  override the scenario's tasks, steps per task, batch size
          --model NAME[:...]                mlp[:100,100], cnn, vit
          --method NAME[:key=value,...]     repeat, or compose with '+': --method l2init+replay  (see: lifelong methods)
          --optimizer NAME[:...]            sgd, adam, adamw (e.g. adam:lr=1e-3)
          --seed N                          root seed (default 0)
          --normalization unit|symmetric    pixels in [0, 1] or [-1, 1]
          --eval-every K --eval-subset N    a full accuracy row every K tasks; N test images per task
          --probe next-task|current-task|none --probe-size N --dormant-threshold T
          --auroc true                      also record the one-vs-rest AUROC matrix (DEN's metric)
          --log-every N                     a metrics.jsonl line every N steps
          --checkpoint-every N              also checkpoint every N steps inside a task
          --tensorboard true|false          a TensorBoard event file in the run directory (default true)
          --out DIR                         run directory (default runs/<scenario>-<methods>-s<seed>-<time>)
          --compare M1 --compare M2 ...     run each method set in turn (into DIR/<methods>) and print them side by side;
                                            an entry 'M | key=value | label=NAME' gives that variant its own settings;
                                            --resume DIR finishes an interrupted comparison
          --plugin PATH.dll                 load your own methods, scenarios or models (repeatable; see docs/cli.md, Plugins)
          --data DIR                        dataset cache (default $LIFELONG_DATA)
          --max-memory SIZE                 refuse a run estimated to need more (default: the memory available), e.g. 64GB
          --verbose                         print the full trace of an unexpected error (else it goes to a log file)

        Every setting and component option is checked against its valid range before anything is written
        (see: lifelong methods); a flag may be given once (--method, --compare and --plugin may repeat).
        """;

    /// <inheritdoc/>
    public string Name => "run";

    /// <inheritdoc/>
    public string Summary => "train a method (or several, composed) on a task stream; --resume DIR continues an interrupted run";

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
            var (configFile, settings, resume, dataRoot, maxMemory) = Parse(args);
            var store = new DatasetStore(dataRoot) { Log = line => error.WriteLine(line) };
            bool terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
            var progress = new ConsoleProgress(output, terminal);
            if (resume is not null)
            {
                if (configFile is not null || settings.Count > 0) throw new ConfigurationException("--resume takes only the run directory: the run's settings come from its config.json.");
                using var resumeInterrupt = Interruption.OnSigint(resume, error);
                return Resume(resume, store, progress, output, error, maxMemory);
            }
            var fileSettings = configFile is null ? [] : ConfigFile.Read(configFile);
            // A config file's plugin paths are relative to the file, as a reader of the file expects.
            fileSettings = [.. fileSettings.Select(s => s.Key != "plugins" ? s : new(s.Key, [.. s.Value.Select(p => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile!))!, p))]))];
            var compare = fileSettings.Concat(settings).Where(s => s.Key == "compare").SelectMany(s => s.Value).ToList();
            if (settings.Any(s => s.Key == "compare")) compare = [.. settings.Where(s => s.Key == "compare").SelectMany(s => s.Value)];
            else if (settings.Any(s => s.Key is "method" or "methods")) compare = [];   // --method on the command line replaces the file's comparison
            var config = new RunConfig().With(fileSettings.Where(s => s.Key != "compare")).With(settings.Where(s => s.Key != "compare"));
            if (compare.Count > 0) return Compare(config, compare, store, progress, output, error, maxMemory);
            var prepared = RunFactory.Build(config, store, maxMemory);
            var directory = OpenDirectory(prepared.Config.Out!);
            if (directory.HoldsRun)
                throw new ConfigurationException($"{directory.Path} already holds a run; continue it with 'lifelong run --resume {prepared.Config.Out}' or choose another --out.");
            output.WriteLine($"run: {directory.Path}");
            using var interrupt = Interruption.OnSigint(prepared.Config.Out!, error);
            var result = prepared.Run(directory, progress);
            output.WriteLine();
            output.Write(ResultTable.Format(result));
            output.WriteLine($"\nresults: {directory.ResultFile}");
            return ExitCode.Ok;
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"lifelong run: {ConfigurationException.Plain(e)}");
            error.WriteLine("see: lifelong run --help, lifelong methods");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or TrainingDivergedException)
        {
            error.WriteLine($"lifelong run: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
    }

    /// <summary>Runs the same config once per method set, each into its own subdirectory, and prints them side by side.</summary>
    /// <remarks>
    /// The root keeps the request in <c>compare.json</c>. With <paramref name="resume"/>, a variant that finished is read
    /// back, an interrupted one continues from its checkpoint and the rest run, so an interrupted comparison loses nothing.
    /// </remarks>
    private static int Compare(RunConfig config, IReadOnlyList<string> entries, DatasetStore store, ConsoleProgress progress, TextWriter output, TextWriter error, long? maxMemory, bool resume = false)
    {
        var variants = entries.Select(CompareVariant.Parse).ToList();
        // Build every variant before running any, so a bad entry fails before hours of the others have run.
        var prepared = variants.Select(v => RunFactory.Build(v.Apply(config), store, maxMemory)).ToList();
        var labels = variants.Select((v, i) => v.Label(prepared[i].Learner.Methods.Select(m => m.Name))).ToList();
        var duplicate = labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ConfigurationException($"two compare entries are both named '{duplicate.Key}'; give one a 'label=NAME'.");
        string root = config.Out ?? Path.Combine("runs", $"compare-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        if (!resume)
        {
            if (File.Exists(CompareManifest.PathIn(root)))
                throw new ConfigurationException($"{Path.GetFullPath(root)} already holds a comparison; continue it with 'lifelong run --resume {root}' or choose another --out.");
            var taken = labels.FirstOrDefault(l => Directory.Exists(Path.Combine(root, l)) && new RunDirectory(Path.Combine(root, l)).HoldsRun);
            if (taken is not null) throw new ConfigurationException($"{Path.GetFullPath(Path.Combine(root, taken))} already holds a run; choose another --out.");
            OpenDirectory(root);
            new CompareManifest(config with { Out = root }, entries).Save(root);
        }
        using var interrupt = resume ? null : Interruption.OnSigint(root, error);
        ErrorLog.UseDirectory(Path.GetFullPath(root));
        var (results, finished, diverged) = (new List<Results.RunResult>(), new List<string>(), new List<string>());
        for (int i = 0; i < variants.Count; i++)
        {
            var directory = OpenDirectory(Path.Combine(root, labels[i]));
            var run = prepared[i] with { Config = prepared[i].Config with { Out = directory.Path } };
            output.WriteLine($"\n== {labels[i]} (variant {i + 1} of {variants.Count}): {directory.Path}");
            progress.BeginVariant(i, variants.Count);
            try
            {
                if (resume && File.Exists(directory.ResultFile))
                {
                    output.WriteLine("already complete");
                    results.Add(Results.RunResult.Load(directory.ResultFile));
                }
                else if (resume && directory.HoldsRun)
                {
                    output.WriteLine(ResumeNote(directory));
                    results.Add(run.Resume(directory, progress));
                }
                else results.Add(run.Run(directory, progress));
                finished.Add(labels[i]);
            }
            catch (TrainingDivergedException e)
            {
                // One variant's step size being too large says nothing about the others: report it and go on.
                output.WriteLine($"{labels[i]}: {e.Message}");
                diverged.Add($"{labels[i]} (task {e.Task}, step {e.Step})");
            }
        }
        output.WriteLine();
        // Redirected output keeps the full table for scripts; a narrow terminal gets narrower columns.
        output.Write(ResultTable.Comparison(results, finished, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? ConsoleProgress.TerminalWidth() : int.MaxValue));
        if (diverged.Count > 0) output.WriteLine($"\ndiverged, no result: {string.Join(", ", diverged)}");
        output.WriteLine($"\nresults: {Path.GetFullPath(root)}");
        return diverged.Count == 0 ? ExitCode.Ok : ExitCode.Failure;
    }

    private static int Resume(string path, DatasetStore store, ConsoleProgress progress, TextWriter output, TextWriter error, long? maxMemory)
    {
        if (!Directory.Exists(path)) throw new ConfigurationException($"--resume {path}: no such directory.");
        var directory = OpenDirectory(path);
        if (!File.Exists(directory.ConfigFile))
        {
            if (!File.Exists(CompareManifest.PathIn(path)))
                throw new InvalidDataException($"{directory.Path}: no config.json (a run) or compare.json (a comparison); nothing to resume.");
            var manifest = CompareManifest.Load(path);
            output.WriteLine($"resuming the comparison: {directory.Path}");
            return Compare(manifest.Config with { Out = path }, manifest.Entries, store, progress, output, error, maxMemory, resume: true);
        }
        var config = RunConfig.FromJson(File.ReadAllText(directory.ConfigFile), directory.ConfigFile);
        if (File.Exists(directory.ResultFile))
        {
            output.WriteLine($"{directory.Path}: the run is already complete.");
            output.Write(ResultTable.Format(Results.RunResult.Load(directory.ResultFile)));
            return ExitCode.Ok;
        }
        output.WriteLine($"{directory.Path}: {ResumeNote(directory)}");
        var result = RunFactory.Build(config, store, maxMemory).Resume(directory, progress);
        output.WriteLine();
        output.Write(ResultTable.Format(result));
        output.WriteLine($"\nresults: {directory.ResultFile}");
        return ExitCode.Ok;
    }

    /// <summary>What resuming <paramref name="directory"/> will do (<see cref="PreparedRun.Resume"/> starts over without a checkpoint).</summary>
    private static string ResumeNote(RunDirectory directory) =>
        !File.Exists(directory.CheckpointFile) ? "interrupted before its first checkpoint: starting it over"
        : RunCheckpoint.PredatesChecksums(directory.CheckpointFile)
            ? "resuming from its checkpoint, unverified: an earlier Lifelong wrote it without checksums or a record of the settings, so neither damage nor an edited config.json can be detected"
            : "resuming from its checkpoint";

    /// <summary>The run directory at <paramref name="path"/>, created if missing, from now on where an unexpected error's trace goes.</summary>
    /// <exception cref="ConfigurationException">The directory cannot be created; the message says where and why.</exception>
    private static RunDirectory OpenDirectory(string path)
    {
        try
        {
            var directory = new RunDirectory(path);
            ErrorLog.UseDirectory(directory.Path);
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"--out '{path}': cannot create the run directory there ({ConfigurationException.Plain(e)}); choose another --out.", e);
        }
    }

    private static (string? ConfigFile, List<KeyValuePair<string, IReadOnlyList<string>>> Settings, string? Resume, string? DataRoot, long? MaxMemory) Parse(IReadOnlyList<string> args)
    {
        string? configFile = null, resume = null, dataRoot = null;
        long? maxMemory = null;
        var given = new HashSet<string>(StringComparer.Ordinal);
        var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        var methods = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (configFile is not null) throw new ConfigurationException($"unexpected argument '{arg}' (a config file, '{configFile}', is already given).");
                configFile = arg;
                continue;
            }
            string key = arg[2..];
            string? value = null;
            int equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0) (key, value) = (key[..equals], key[(equals + 1)..]);
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            if (value is null) throw new ConfigurationException($"--{key} needs a value.");
            string canonical = key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            if (canonical is not ("method" or "methods" or "compare" or "plugin" or "plugins") && !given.Add(canonical))
                throw new ConfigurationException($"--{key} given twice; give each setting once.");
            switch (key)
            {
                case "resume": resume = value; break;
                case "data": dataRoot = value; break;
                case "max-memory": maxMemory = MemoryEstimate.ParseSize(value, "--max-memory"); break;
                case "method" or "methods": methods.Add(value); break;
                case "plugin" or "plugins": settings.Add(new("plugins", [value])); break;
                case "compare": settings.Add(new("compare", [value])); break;
                default:
                    if (!RunConfig.Keys.Any(k => k.Replace("_", "", StringComparison.Ordinal) == key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)))
                        throw new ConfigurationException($"unknown flag --{key}.{Spelling.Suggest("--" + key, RunConfig.Keys.Select(k => "--" + k.Replace('_', '-')).Append("--method").Append("--plugin").Append("--resume").Append("--data").Append("--max-memory"))} Valid flags: {string.Join(", ", RunConfig.Keys.Where(k => k != "methods").Select(k => "--" + k.Replace('_', '-')).Append("--method").Append("--plugin").Append("--resume").Append("--data").Append("--max-memory"))}.");
                    settings.Add(new(key, [value]));
                    break;
            }
        }
        if (methods.Count > 0) settings.Add(new("methods", methods));
        return (configFile, settings, resume, dataRoot, maxMemory);
    }
}
