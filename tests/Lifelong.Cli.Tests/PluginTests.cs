using System.Text.Json.Nodes;
using Lifelong.NN;

namespace Lifelong.Cli.Tests;

/// <summary>examples/PluginMethod — a method, a scenario and a model in a user's own assembly — used from the command line.</summary>
/// <remarks>The runs are separate processes: a plugin, once loaded, stays in the process and would change the catalogs other
/// tests see.</remarks>
public class PluginTests
{
    /// <summary>The example's dll, built by this project's build (in the same configuration) into its own folder.</summary>
    private static string PluginPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lifelong.slnx"))) directory = directory.Parent;
        Assert.NotNull(directory);
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string path = Path.Combine(directory.FullName, "examples", "PluginMethod", "bin", configuration, "net10.0", "PluginMethod.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project's build builds it.");
        return path;
    }

    [Fact]
    public void A_plugin_method_scenario_and_model_run_from_a_config_file_and_resume_from_the_recorded_config()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string run = folder.Sub("run"), config = folder.Sub("plugin.yaml");
        // The config names the plugin relative to itself, as a user keeps a config beside their project.
        File.WriteAllText(config, $"""
            plugins: [{Path.GetRelativePath(folder.Path, PluginPath())}]
            scenario: gaussian-clusters:tasks=2,steps=60
            model: linear
            methods: [weight-clip:kappa=0.5]
            probe_size: 50
            out: {run}
            """);
        var first = Cli.RunProcess("run", config);
        Assert.True(first.Code == 0, first.Error);
        Assert.Equal(PluginPath(), JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["plugins"]![0]!.GetValue<string>());

        // The method really ran: every weight lies within κ = 0.5 times its tensor's largest initial |θ₀| (both in the
        // checkpoint), and some sit exactly on that bound, where only the clip puts them.
        var checkpoint = SafeTensors.Load(Path.Combine(run, "checkpoint.safetensors")).Tensors;
        float bound = 0.5f * checkpoint["init.0.weight"].Span.ToArray().Max(Math.Abs);
        float largest = checkpoint["model.0.weight"].Span.ToArray().Max(Math.Abs);
        Assert.Equal(bound, largest);

        // A new process resumes the run from config.json alone, loading the plugin it records, to the same numbers.
        string expected = Cli.ResultNumbers(Path.Combine(run, "result.json"));
        File.Delete(Path.Combine(run, "result.json"));
        var resumed = Cli.RunProcess("run", "--resume", run);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(expected, Cli.ResultNumbers(Path.Combine(run, "result.json")));
    }

    [Fact]
    public void Methods_with_a_plugin_describes_its_method_from_its_doc_comments()
    {
        var (code, output, error) = Cli.RunProcess("methods", "weight-clip", "--plugin", PluginPath());
        Assert.True(code == 0, error);
        Assert.Contains("weight-clip  — Weight clipping", output, StringComparison.Ordinal);
        Assert.Contains("kappa", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_plugin_is_a_usage_error_naming_the_file()
    {
        var (code, _, error) = Cli.Run("run", "--plugin", "no/such/plugin.dll", "--tasks", "1");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains($"plugin '{Path.GetFullPath("no/such/plugin.dll")}' does not exist", error, StringComparison.Ordinal);
    }
}
