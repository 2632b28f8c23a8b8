namespace Lifelong.Cli.Tests;

/// <summary>Each case of issue 21 that crashed or was accepted silently: refused with exit 2, a message that names the option,
/// the value and what is valid, and nothing written.</summary>
public class ValidationTests
{
    private static readonly string[] Tiny = ["--scenario", "permuted-mnist:train-per-task=64,test-size=32", "--tasks", "1", "--steps", "2", "--model", "mlp:8", "--probe-size", "16"];

    [Theory]
    [InlineData("setting 'tasks' = 0 is not valid; expected an integer from 1 to 10,000", "--tasks", "0")]
    [InlineData("setting 'tasks' = -1 is not valid", "--tasks", "-1")]
    [InlineData("setting 'tasks' = 1000000000 is not valid", "--tasks", "1000000000", "--steps", "2")]
    [InlineData("setting 'steps' = -1 is not valid; expected an integer ≥ 1", "--steps", "-1")]
    [InlineData("setting 'steps' = 0 is not valid", "--steps", "0")]
    [InlineData("setting 'batch_size' = 0 is not valid", "--batch-size", "0")]
    [InlineData("option 'train-per-task' = 0 is not valid", "--scenario", "permuted-mnist:train-per-task=0")]
    [InlineData("option 'test-size' = -3 is not valid", "--scenario", "permuted-mnist:test-size=-3")]
    [InlineData("option 'train-per-class' = 0 is not valid", "--scenario", "split-mnist:train-per-class=0")]
    [InlineData("option 'tasks' = 0 is not valid", "--scenario", "random-label-mnist:tasks=0")]
    [InlineData("option 'depth' = -2 is not valid", "--model", "vit:depth=-2")]
    [InlineData("option 'momentum' = 1.5 is not valid; expected a number in [0, 1)", "--optimizer", "sgd:momentum=1.5")]
    [InlineData("option 'eps' = 0 is not valid; expected a number > 0", "--optimizer", "adam:eps=0")]
    [InlineData("needs at least", "--model", "mlp:100000000")]
    [InlineData("--seed given twice", "--seed", "1", "--seed", "2")]
    [InlineData("--tasks needs a value", "--tasks", "--seed", "1")]
    [InlineData("method 'den' trains with its own Adam", "--scenario", "permuted-mnist:head-per-task=true", "--method", "den", "--optimizer", "sgd")]
    public void A_bad_value_is_refused_before_anything_is_written(string message, params string[] flags)
    {
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run(["run", .. flags, "--out", folder.Path]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("(Parameter '", error);
        Assert.False(File.Exists(Path.Combine(folder.Path, "config.json")));
    }

    [Fact]
    public void A_memory_limit_refuses_a_model_with_the_figure_and_the_override()
    {
        var (code, _, error) = Cli.Run(["run", .. Tiny[..^4], "--probe-size", "16", "--model", "mlp:4000", "--max-memory", "16MB"]);
        Assert.Equal(2, code);
        Assert.Contains("more than the 16.0 MB allowed by --max-memory", error);
        // 784·4000 + 4000 + 4000·10 + 10 = 3,180,010 parameters, 16 bytes each: 48.5 MB before any activation.
        Assert.Contains("3,180,010 parameters", error);
    }

    [Theory]
    [InlineData("pretrain", "--lr", "nan")]
    [InlineData("pretrain", "--steps", "0")]
    [InlineData("meta", "few-shot", "--shots", "-1")]
    [InlineData("meta", "few-shot", "--ways", "1")]
    [InlineData("distill", "--alpha", "2")]
    [InlineData("distill", "--seeds", "0")]
    [InlineData("transfer", "--model", "mlp:8,checkpoint=x.safetensors", "--lr", "-1")]
    [InlineData("distill", "--lr", "1", "--lr", "2")]
    public void The_other_commands_refuse_bad_settings_naming_them(params string[] args)
    {
        var (code, _, error) = Cli.Run(args);
        Assert.Equal(2, code);
        string flag = args.Last(a => a.StartsWith("--", StringComparison.Ordinal));
        Assert.Contains(flag, error);
    }

    [Fact]
    public void Help_after_a_config_file_prints_the_help()
    {
        var (code, output, _) = Cli.Run("run", "cfg.yaml", "--help");
        Assert.Equal(0, code);
        Assert.Contains("usage: lifelong run", output);
    }

    [Theory]
    [InlineData("empty.yaml", "", "holds no settings")]
    [InlineData("bad.yaml", "steps: [10", "not valid YAML at line")]
    [InlineData("twice.yaml", "steps: 1\nsteps: 2\n", "given twice")]
    [InlineData("bad.json", "{\"steps\": ", "not valid JSON")]
    [InlineData("negative.yaml", "steps: -5\n", "setting 'steps' = -5 is not valid")]
    public void A_bad_config_file_is_refused(string name, string text, string message)
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string path = folder.Sub(name);
        File.WriteAllText(path, text);
        var (code, _, error) = Cli.Run("run", path, "--out", folder.Sub("run"));
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("flow.yaml")]
    [InlineData("block.yaml")]
    [InlineData("deep.json")]
    public void A_config_nested_100000_levels_deep_is_refused_without_overflowing_the_stack(string name)
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string path = folder.Sub(name);
        File.WriteAllText(path, name switch
        {
            "flow.yaml" => "steps: " + new string('[', 100_000),
            "block.yaml" => string.Concat(Enumerable.Repeat("- ", 100_000)) + "x",
            _ => "{\"steps\": " + new string('[', 100_000) + new string(']', 100_000) + "}",
        });
        var (code, _, error) = Cli.Run("run", path);
        Assert.Equal(2, code);
        Assert.Contains(name, error);
    }

    [Fact]
    public void Methods_shows_each_options_valid_range()
    {
        var (_, output, _) = Cli.Run("methods");
        Assert.Matches(@"momentum\s+number \[0, 1\)", output);
        Assert.Matches(@"tasks\s+int 1\.\.10,000", output);
    }

    [Fact]
    public void An_unexpected_error_prints_one_line_and_leaves_the_trace_in_the_run_directory()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Dispatcher.Run(["fail", folder.Path], output, error, [new Failing()]);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", output.ToString() + error.ToString());
        Assert.Contains("lifelong fail: unexpected error: the bug (InvalidOperationException)", error.ToString());
        string log = Path.Combine(folder.Path, ErrorLog.FileName);
        Assert.Contains($"details: {log}", error.ToString());
        Assert.Contains("   at ", File.ReadAllText(log));

        // Without a run directory the trace goes to a temporary file; with --verbose it is printed as well.
        error = new StringWriter();
        Assert.Equal(1, Dispatcher.Run(["fail", "--verbose"], output, error, [new Failing()]));
        Assert.Contains("   at ", error.ToString());
        Assert.Equal(2, Dispatcher.Run(["fail", "usage"], output, new StringWriter(), [new Failing()]));
    }

    /// <summary>A command with a bug: it throws what nobody catches (or, given "usage", a usage error).</summary>
    private sealed class Failing : ICommand
    {
        public string Name => "fail";

        public string Summary => "fails";

        public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
        {
            if (args is ["usage"]) throw new Catalog.ConfigurationException("a usage error");
            if (args.Count == 1) ErrorLog.UseDirectory(args[0]);
            throw new InvalidOperationException("the bug");
        }
    }
}
