using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lifelong.Cli.Tests;

/// <summary>meta few-shot, pretrain, transfer and distill write run directories of one shape, resume to the bit after
/// SIGKILL, refuse an edited config.json, and are drawn by report.</summary>
public class ExperimentKindsTests
{
    private static string[] Meta(string directory) =>
        ["meta", "few-shot", "--dataset", "mnist", "--iterations", "150", "--meta-batch", "2", "--hidden", "16", "--test-episodes", "20",
         "--log-every", "7", "--checkpoint-every", "10", "--eval-every", "50", "--eval-episodes", "5", "--out", directory];

    private static string[] Pretrain(string directory) =>
        ["pretrain", "--dataset", "mnist", "--model", "mlp:16", "--steps", "300", "--batch-size", "16", "--log-every", "10", "--checkpoint-every", "20", "--out", directory];

    private static string[] Distill(string directory) =>
        ["distill", "--teacher", "16", "--student", "8", "--teacher-steps", "40", "--student-steps", "40", "--batch-size", "32", "--seeds", "3", "--log-every", "20", "--out", directory];

    private static string[] Transfer(string directory, string backbone) =>
        ["transfer", "--model", $"mlp:16,checkpoint={backbone}", "--shots", "1,5", "--steps", "30", "--seeds", "3", "--out", directory];

    [Fact]
    public void Meta_few_shot_killed_with_SIGKILL_resumes_to_the_same_result_bit_for_bit() =>
        KillAndResume("meta few-shot", Meta, "options.inner_lr", 0.1, "options.inner_lr: 0.4 → 0.1", "Few-shot accuracy over meta-iterations");

    [Fact]
    public void Pretrain_killed_with_SIGKILL_resumes_to_the_same_result_bit_for_bit() =>
        KillAndResume("pretrain", Pretrain, "options.lr", 0.01, "options.lr: 0.001 → 0.01", "Pretraining loss");

    [Fact]
    public void Distill_killed_with_SIGKILL_resumes_at_the_unfinished_seed_to_the_same_result_bit_for_bit() =>
        KillAndResume("distill", Distill, "options.temperature", 2, "options.temperature: 4 → 2", "Knowledge distillation");

    [Fact]
    public void Transfer_killed_with_SIGKILL_resumes_at_the_unfinished_seed_to_the_same_result_bit_for_bit()
    {
        using var folder = new Cli.TempFolder();
        string backbone = folder.Sub("backbone");
        var pretrain = Cli.Run("pretrain", "--dataset", "mnist", "--model", "mlp:16", "--steps", "50", "--out", backbone);
        Assert.True(pretrain.Code == 0, pretrain.Error);
        // A pretrain run directory stands for its backbone.
        Assert.True(File.Exists(Path.Combine(backbone, "backbone.safetensors")));
        KillAndResume("transfer", d => Transfer(d, backbone), "options.steps", 31, "options.steps: 30 → 31", "Transfer accuracy against K");
    }

    [Fact]
    public void Pretrain_out_naming_a_safetensors_file_writes_the_backbone_there_and_the_run_beside_it()
    {
        using var folder = new Cli.TempFolder();
        string file = folder.Sub("models/mlp-mnist.safetensors");
        var (code, output, error) = Cli.Run("pretrain", "--dataset", "mnist", "--model", "mlp:16", "--steps", "30", "--out", file);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(file));
        Assert.Contains($"checkpoint={file}", output);
        var result = JsonNode.Parse(File.ReadAllText(folder.Sub("models/mlp-mnist/result.json")))!;
        Assert.Equal(file, (string)result["backbone"]!);
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(folder.Sub("models/mlp-mnist/backbone.safetensors")));
        var run = Cli.Run("run", "--scenario", "permuted-mnist:train-per-task=100,test-size=50", "--tasks", "1", "--steps", "1",
            "--model", $"mlp:16,checkpoint={file}", "--probe", "none", "--out", folder.Sub("run"));
        Assert.True(run.Code == 0, run.Error);
    }

    [Fact]
    public void Every_kind_writes_its_fully_resolved_config_with_kind_and_provenance()
    {
        using var folder = new Cli.TempFolder();
        string directory = folder.Sub("d");
        var (code, _, error) = Cli.Run("distill", "--teacher", "16", "--student", "8", "--teacher-steps", "20", "--student-steps", "20", "--batch-size", "32", "--seeds", "2", "--out", directory);
        Assert.True(code == 0, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        Assert.Equal("distill", (string)config["kind"]!);
        Assert.Equal(2, (int)config["seeds"]!);
        // Defaults the command line left out are written too.
        Assert.Equal(4.0, (double)config["options"]!["temperature"]!);
        Assert.Equal(0.9, (double)config["options"]!["alpha"]!, 6);
        Assert.False(string.IsNullOrEmpty((string?)config["provenance"]!["instruction_set"]));
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "result.json")))!;
        var runs = result["runs"]!.AsArray();
        Assert.Equal([0, 1], runs.Select(r => (int)r!["seed"]!));
        // 784·16 + 16 + 16·10 + 10 weights and biases in the teacher; 784·8 + 8 + 8·10 + 10 in the student.
        Assert.All(runs, r => Assert.Equal(12_730, (long)r!["teacher_parameters"]!));
        Assert.All(runs, r => Assert.Equal(6_370, (long)r!["student_parameters"]!));
        double a = (double)runs[0]!["student_distilled"]!, b = (double)runs[1]!["student_distilled"]!;
        Assert.Equal((a + b) / 2, (double)result["student_distilled"]!["mean"]!, 12);
        Assert.Equal(Math.Abs(a - b) / Math.Sqrt(2), (double)result["student_distilled"]!["std"]!, 12);
        // One metrics line per logged window of each phase and one per seed: 2 seeds × (20/100 → the last step) × 3 phases + 2.
        var events = File.ReadAllLines(Path.Combine(directory, "metrics.jsonl")).Select(l => (string)JsonNode.Parse(l)!["event"]!).ToList();
        Assert.Equal(6, events.Count(e => e == "distill_step"));
        Assert.Equal(2, events.Count(e => e == "distill_seed"));
        Assert.Single(Directory.GetFiles(directory, "events.out.tfevents.*"));

        (code, _, error) = Cli.Run("distill", "--teacher", "16", "--out", directory);
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("already holds a run; continue it with 'lifelong distill --resume", error, StringComparison.Ordinal);
        (code, _, error) = Cli.Run("distill", "--resume", directory, "--seeds", "3");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("drop --seeds", error, StringComparison.Ordinal);
        (code, _, error) = Cli.Run("meta", "few-shot", "--resume", directory);
        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("the config of a 'distill' run, not of a 'meta' run; resume it with 'lifelong distill --resume", error, StringComparison.Ordinal);
    }

    /// <summary>Runs the command whole, then again in a process killed with SIGKILL after its first checkpoint; an edited
    /// config.json is refused with the change named; put back, the resumed run writes the whole run's result and metrics
    /// to the bit, and the report draws it.</summary>
    private static void KillAndResume(string command, Func<string, string[]> args, string setting, double changed, string message, string figure)
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), killed = folder.Sub("killed");
        var reference = Cli.Run(args(whole));
        Assert.True(reference.Code == 0, reference.Error);

        using (var process = Cli.Start(args(killed)))
        {
            string checkpoint = Path.Combine(killed, "checkpoint.safetensors");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            process.Kill(entireProcessTree: true);   // SIGKILL on Unix
            process.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(killed, "checkpoint.safetensors")), "the killed run wrote no checkpoint");
        Assert.False(File.Exists(Path.Combine(killed, "result.json")), "the run finished before it could be killed; the test proves nothing");

        string configFile = Path.Combine(killed, "config.json"), original = File.ReadAllText(configFile);
        var edited = JsonNode.Parse(original)!.AsObject();
        string[] path = setting.Split('.');
        (path.Length == 1 ? edited : edited[path[0]]!.AsObject())[path[^1]] = changed;
        File.WriteAllText(configFile, edited.ToJsonString());
        string[] resume = [.. command.Split(' '), "--resume", killed];
        var refused = Cli.Run(resume);
        Assert.Equal(ExitCode.Failure, refused.Code);
        Assert.Contains("differ from those it was started with", refused.Error, StringComparison.Ordinal);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        File.WriteAllText(configFile, original);

        var resumed = Cli.Run(resume);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, "result.json")), Cli.ResultNumbers(Path.Combine(killed, "result.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "metrics.jsonl")), File.ReadAllText(Path.Combine(killed, "metrics.jsonl")));

        string page = folder.Sub("report.html");
        var report = Cli.Run("report", whole, killed, "--out", page);
        Assert.True(report.Code == 0, report.Error);
        string html = File.ReadAllText(page);
        Assert.Contains(figure, html, StringComparison.Ordinal);
        // The two runs have equal configs (apart from where they live) and one seed: one group of two, drawn as such.
        Assert.Contains($"2 {command.Split(' ')[0]} runs", report.Output, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
    }
}
