using System.Globalization;
using System.Reflection;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Distillation;
using Lifelong.Meta;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Cli.Tests;

/// <summary>Runs alone, so the allocation it measures is its own.</summary>
[CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;

/// <summary>Generated bad values at every option of every catalog component, every run setting and every command's settings,
/// and malformed files at every reader. A case fails on a stack trace in the output, a hang (a bound per case), a silent
/// acceptance (exit 0 for a value outside the option's declared range or type) or an unbounded allocation.</summary>
/// <remarks>Cases are sampled with a fixed seed; every run is tiny (one task, two steps, a few dozen images) so a value that is
/// valid trains for a moment only.</remarks>
[Collection(nameof(FuzzCollection))]
public class FuzzTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const long MaxAllocatedBytes = 2L << 30;

    private static readonly string[] BadValues =
        ["-1", "0", "-0.5", "99999999999", "1e308", "-1e308", "NaN", "inf", "-Infinity", "", " ", "abc", "１２", "ü∞", "1,2", "=", "+x", "none", "0x10", "1_000_000_000_000",
         new string('9', 400), new string('x', 5_000)];

    private static readonly string[] TinyScenario = ["train-per-task=64", "test-size=32", "images=64", "train-per-class=8", "steps=2", "batch-size=8", "tasks=1"];

    /// <summary>(what, arguments, declared type or null when the oracle cannot judge, declared range, whether null is valid).</summary>
    private sealed record Case(string What, string[] Args, Type? Type, BetweenAttribute? Range, bool AcceptsNull, string Value);

    [Fact]
    public void Bad_values_at_every_option_and_setting_end_cleanly()
    {
        var random = new Random(21);
        using var folder = new Cli.TempFolder();
        var cases = OptionCases().Concat(RunSettingCases()).Concat(CommandCases()).ToList();
        // Every option and setting gets one bad value; a sample of the rest get a second.
        var sample = cases.GroupBy(c => c.What).Select(g => g.ElementAt(random.Next(g.Count())))
            .Concat(cases.OrderBy(_ => random.Next()).Take(20)).ToList();
        var failures = new List<string>();
        foreach (var c in sample)
        {
            // Whatever is written (a run that a valid value let through, a pretrained file) goes into the temporary folder.
            string[] args = c.Args[0] switch
            {
                "run" => [.. c.Args, "--out", folder.Sub(Guid.NewGuid().ToString("N"))],
                "pretrain" => [.. c.Args, "--out", folder.Sub(Guid.NewGuid().ToString("N") + ".safetensors")],
                _ => c.Args,
            };
            var (code, _) = RunBounded(args, failures, c.What);
            if (code is null) continue;
            if (code == 0 && c.Type is not null && !IsValid(c.Value, c.Type, c.Range, c.AcceptsNull))
                failures.Add($"{c.What} = '{Short(c.Value)}': accepted silently (exit 0)");
            if (code is not (0 or 1 or 2)) failures.Add($"{c.What} = '{Short(c.Value)}': exit {code}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Malformed_files_at_every_reader_end_cleanly()
    {
        var random = new Random(22);
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        var failures = new List<string>();
        int n = 0;
        string NewFile(string name, byte[] bytes)
        {
            string directory = folder.Sub($"case{n++}");
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        foreach (var (label, bytes) in MalformedTexts(random))
        {
            // A config file (YAML or JSON), a run's config.json on resume, a comparison's compare.json, a result.json via report.
            string yaml = NewFile("config.yaml", bytes);
            Expect(failures, $"config.yaml {label}", ["run", yaml, "--out", folder.Sub($"out{n}")], refuse: true);
            string json = NewFile("config.json", bytes);
            Expect(failures, $"config.json {label}", ["run", json, "--out", folder.Sub($"out{n}")], refuse: true);
            string resume = NewFile("config.json", bytes);
            Expect(failures, $"resume config.json {label}", ["run", "--resume", Path.GetDirectoryName(resume)!], refuse: true);
            string compare = NewFile("compare.json", bytes);
            Expect(failures, $"compare.json {label}", ["run", "--resume", Path.GetDirectoryName(compare)!], refuse: true);
            string result = NewFile("result.json", bytes);
            Expect(failures, $"result.json {label}", ["report", Path.GetDirectoryName(result)!, "--out", folder.Sub($"report{n}.html")], refuse: true);
        }

        // Safetensors: truncated, random, and with a header that declares a huge size or huge offsets.
        byte[] valid = SafeTensors.Serialize([new("weight", Tensors.Tensor.Ones(3, 4))]);
        foreach (var (label, bytes) in MalformedBinaries(valid, random))
        {
            string path = NewFile("model.safetensors", bytes);
            Expect(failures, $"safetensors {label}", ["run", "--scenario", "permuted-mnist:" + string.Join(',', TinyScenario.Take(2).Concat(TinyScenario.Skip(4))), "--model", $"mlp:8,checkpoint={path}", "--probe-size", "16", "--out", folder.Sub($"out{n}")], refuse: true);
            ReaderOnly(failures, $"safetensors reader {label}", () => SafeTensors.Load(path), typeof(SafeTensorsException));
        }

        // IDX: the dataset reader, straight (the store would fetch a fresh copy over a corrupt one).
        var idx = new MemoryStream();
        IdxFile.Write(idx, [2, 3, 3], new byte[18]);
        foreach (var (label, bytes) in MalformedBinaries(idx.ToArray(), random))
        {
            string path = NewFile("images.idx", bytes);
            ReaderOnly(failures, $"IDX {label}", () => IdxFile.Read(path), typeof(DatasetException));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<Case> OptionCases()
    {
        var components = ScenarioCatalog.All.Select(e => ("scenario", e.Name, e.Options))
            .Concat(ModelCatalog.All.Select(e => ("model", e.Name, e.Options)))
            .Concat(MethodCatalog.All.Select(e => ("method", e.Name, e.Options)))
            .Concat(OptimizerCatalog.All.Select(e => ("optimizer", e.Name, e.Options)));
        foreach (var (kind, name, options) in components)
            foreach (var option in options)
                foreach (string value in BadValues)
                {
                    var tinyScenario = kind == "scenario"
                        ? TinyScenario.Where(t => options.Any(o => t.StartsWith(o.Name + "=", StringComparison.Ordinal)) && !t.StartsWith(option.Name + "=", StringComparison.Ordinal)).ToList()
                        : [.. TinyScenario.Where(t => !t.StartsWith("images", StringComparison.Ordinal) && !t.StartsWith("train-per-class", StringComparison.Ordinal))];
                    string scenario = (kind == "scenario" ? name : "permuted-mnist") + ":" + string.Join(',', tinyScenario);
                    if (kind == "scenario") scenario += $",{option.Name}={value}";
                    string component = $"{name}:{option.Name}={value}";
                    string[] args = ["run", "--scenario", scenario, "--probe-size", "16", "--eval-subset", "16",
                        .. kind == "model" ? ["--model", component] : kind == "scenario" ? Array.Empty<string>() : ["--model", "mlp:8"],
                        .. kind == "method" ? ["--method", component] : Array.Empty<string>(),
                        .. kind == "optimizer" ? ["--optimizer", component] : Array.Empty<string>()];
                    // A value with ',' or '=' changes the spec's structure, so the binder sees another option: no oracle then.
                    bool judged = !value.Contains(',', StringComparison.Ordinal) && !value.Contains('=', StringComparison.Ordinal) && !value.Contains('+', StringComparison.Ordinal);
                    yield return new Case($"{kind} {name}:{option.Name}", args, judged ? option.Type : null, option.Range, true, value.Trim());
                }
    }

    private static IEnumerable<Case> RunSettingCases()
    {
        foreach (var property in typeof(RunConfig).GetProperties().Where(p => p.CanWrite && p.Name != nameof(RunConfig.Out)))
        {
            string flag = OptionBinder.Kebab(property.Name) switch { "methods" => "method", var k => k };
            bool nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null;
            foreach (string value in BadValues)
            {
                var baseArgs = new List<string> { "--scenario", "permuted-mnist:" + string.Join(',', TinyScenario.Take(2).Concat(TinyScenario.Skip(4))), "--model", "mlp:8", "--probe-size", "16", "--eval-subset", "16" };
                int at = baseArgs.IndexOf("--" + flag);
                if (at >= 0) baseArgs.RemoveRange(at, 2);
                if (flag is "tasks" or "steps" or "batch-size") baseArgs[1] = "permuted-mnist:" + string.Join(',', TinyScenario.Take(2));
                var type = property.PropertyType;
                bool judged = type != typeof(string) && type != typeof(IReadOnlyList<string>);
                yield return new Case($"run --{flag}", ["run", .. baseArgs, "--" + flag, value], judged ? type : null, OptionRules.RangeOf(property), nullable, value);
            }
        }
    }

    private static IEnumerable<Case> CommandCases()
    {
        var commands = new (string[] Base, (string Flag, Type? Type, BetweenAttribute? Range)[] Settings)[]
        {
            (["meta", "few-shot", "--dataset", "mnist", "--iterations", "2", "--meta-batch", "1", "--test-episodes", "2", "--hidden", "8", "--queries", "2"],
                [.. Record(typeof(FewShotBenchmarkOptions), new() { ["conv-filters"] = "conv" }, "method"), .. Record(typeof(FewShotOptions), [], "meta-train-classes", "episodes", "inner-steps"), ("seed", typeof(ulong), null), ("dataset", null, null), ("method", null, null)]),
            (["distill", "--dataset", "mnist", "--teacher", "8", "--student", "4", "--teacher-steps", "2", "--student-steps", "2", "--seeds", "1", "--batch-size", "8"],
                [.. Record(typeof(DistillationOptions), new() { ["learning-rate"] = "lr" }), ("seeds", typeof(int), new PositiveAttribute { Max = 1_000 })]),
            (["pretrain", "--dataset", "mnist", "--model", "mlp:8", "--steps", "2", "--batch-size", "8"],
                [.. Record(typeof(PretrainOptions), [], "classes"), ("seed", typeof(ulong), null), ("model", null, null), ("dataset", null, null)]),
        };
        foreach (var (baseArgs, settings) in commands)
            foreach (var (flag, type, range) in settings)
                foreach (string value in BadValues)
                {
                    var args = baseArgs.ToList();
                    int at = args.IndexOf("--" + flag);
                    if (at >= 0) args.RemoveRange(at, 2);
                    bool widths = flag is "hidden" or "teacher" or "student";
                    yield return new Case($"{args[0]} --{flag}", [.. args, "--" + flag, value], widths ? null : type, range, false, value);
                }
    }

    private static IEnumerable<(string, Type?, BetweenAttribute?)> Record(Type record, Dictionary<string, string> flags, params string[] skip) =>
        OptionBinder.Parameters(record).Select(p => (Name: OptionBinder.Kebab(p.Name!), p)).Where(x => !skip.Contains(x.Name))
            .Select(x => (flags.GetValueOrDefault(x.Name, x.Name), (Type?)x.p.ParameterType, OptionRules.RangeOf(x.p)));

    /// <summary>Whether <paramref name="value"/> is valid for an option of <paramref name="type"/> and <paramref name="range"/>:
    /// it parses as the type (the program's own syntax) and every number lies in the range.</summary>
    private static bool IsValid(string value, Type type, BetweenAttribute? range, bool acceptsNull)
    {
        object? parsed;
        try { parsed = OptionBinder.Convert(value, type, "x", acceptsNull); }
        catch (ConfigurationException) { return false; }
        if (parsed is null) return true;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum || underlying == typeof(bool) || underlying == typeof(string)) return true;
        IEnumerable<double> numbers = parsed is int[] array ? array.Select(i => (double)i) : [Convert.ToDouble(parsed, CultureInfo.InvariantCulture)];
        return numbers.All(x => double.IsFinite(x) && (range?.Admits(x) ?? true));
    }

    /// <summary>Runs the command with a bound on its time, checks its output for a stack trace and its allocation for a bound.</summary>
    private static (int? Code, string Text) RunBounded(string[] args, List<string> failures, string what)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        var task = Task.Run(() => Cli.Run(args));
        if (!task.Wait(Bound))
        {
            failures.Add($"{what}: still running after {Bound.TotalSeconds} s: lifelong {string.Join(' ', args.Select(Short))}");
            return (null, "");
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        var (code, output, error) = task.Result;
        string text = output + error;
        if (text.Split('\n').Any(line => line.StartsWith("   at ", StringComparison.Ordinal)))
            failures.Add($"{what}: a stack trace reached the user: lifelong {string.Join(' ', args.Select(Short))}\n{Short(text)}");
        if (allocated > MaxAllocatedBytes) failures.Add($"{what}: allocated {allocated:N0} bytes");
        return (code, text);
    }

    private static void Expect(List<string> failures, string what, string[] args, bool refuse)
    {
        var (code, _) = RunBounded(args, failures, what);
        if (code is null) return;
        if (refuse && code == 0) failures.Add($"{what}: accepted silently (exit 0)");
        if (code is not (0 or 1 or 2)) failures.Add($"{what}: exit {code}");
    }

    /// <summary>A reader on its own: it may only throw its documented exception, within the time and allocation bounds.</summary>
    private static void ReaderOnly(List<string> failures, string what, Action read, Type allowed)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        var task = Task.Run(read);
        try
        {
            if (!task.Wait(Bound)) { failures.Add($"{what}: still reading after {Bound.TotalSeconds} s"); return; }
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            if (!allowed.IsInstanceOfType(inner) && inner is not InvalidDataException)
                failures.Add($"{what}: {inner.GetType().Name}: {Short(inner.Message)}");
            return;
        }
        finally
        {
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            if (allocated > MaxAllocatedBytes) failures.Add($"{what}: allocated {allocated:N0} bytes");
        }
        failures.Add($"{what}: read without complaint");
    }

    private static IEnumerable<(string, byte[])> MalformedTexts(Random random)
    {
        string config = "{\"scenario\": \"permuted-mnist:train-per-task=64,test-size=32,tasks=1,steps=2\", \"model\": \"mlp:8\", \"probe_size\": 16}";
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(config);
        yield return ("empty", []);
        yield return ("truncated", bytes[..(bytes.Length / 2)]);
        yield return ("truncated early", bytes[..7]);
        yield return ("random bytes", RandomBytes(random, 512));
        yield return ("a scalar", "42"u8.ToArray());
        yield return ("a list", "[1, 2, 3]"u8.ToArray());
        yield return ("deep flow nesting", System.Text.Encoding.UTF8.GetBytes("steps: " + new string('[', 100_000)));
        yield return ("deep JSON nesting", System.Text.Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 100_000)));
        yield return ("nulls", "{\"scenario\": null, \"matrix\": null}"u8.ToArray());
        yield return ("2 MB", new byte[2 << 20]);
    }

    private static IEnumerable<(string, byte[])> MalformedBinaries(byte[] valid, Random random)
    {
        yield return ("empty", []);
        yield return ("truncated header", valid[..3]);
        yield return ("truncated data", valid[..^5]);
        yield return ("random bytes", RandomBytes(random, 256));
        var huge = (byte[])valid.Clone();
        // The first 8 bytes of safetensors (and the dimensions of IDX) declare sizes: claim the largest.
        for (int i = 0; i < Math.Min(8, huge.Length); i++) huge[i] = 0xFF;
        yield return ("huge declared header size", huge);
        var idxHuge = (byte[])valid.Clone();
        for (int i = 4; i < Math.Min(16, idxHuge.Length); i++) idxHuge[i] = 0x7F;
        yield return ("huge declared dimensions", idxHuge);
        var flipped = (byte[])valid.Clone();
        for (int i = 0; i < 6; i++) flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
        yield return ("flipped bits", flipped);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
