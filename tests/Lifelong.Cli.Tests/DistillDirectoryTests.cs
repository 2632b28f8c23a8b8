using System.Text.Json.Nodes;

namespace Lifelong.Cli.Tests;

public class DistillDirectoryTests
{
    private static string[] Tiny(string directory) =>
        ["distill", "--teacher", "16", "--student", "8", "--teacher-steps", "20", "--student-steps", "20", "--batch-size", "32", "--seeds", "2", "--out", directory];

    [Fact]
    public void Distill_writes_its_resolved_config_and_a_result_whose_summary_matches_its_seeds()
    {
        using var folder = new Cli.TempFolder();
        string directory = Path.Combine(folder.Path, "d");
        var (code, _, error) = Cli.Run(Tiny(directory));
        Assert.True(code == 0, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        Assert.Equal("distill", (string)config["kind"]!);
        Assert.Equal(2, (int)config["seeds"]!);
        // Defaults the command line left out are written too.
        Assert.Equal(4.0, (double)config["options"]!["temperature"]!);
        Assert.Equal(0.9, (double)config["options"]!["alpha"]!, 6);
        Assert.Equal(32, (int)config["options"]!["batch_size"]!);
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
        Assert.Equal(File.ReadAllText(Path.Combine(directory, "seeds", "seed-1.json")).Trim().ReplaceLineEndings("").Replace(" ", "", StringComparison.Ordinal),
            runs[1]!.ToJsonString());
    }

    [Fact]
    public void Distill_resume_reruns_only_the_missing_seed_and_writes_the_same_bits()
    {
        using var folder = new Cli.TempFolder();
        string directory = Path.Combine(folder.Path, "d");
        var (code, _, error) = Cli.Run(Tiny(directory));
        Assert.True(code == 0, error);
        byte[] uninterrupted = File.ReadAllBytes(Path.Combine(directory, "result.json"));
        byte[] seedOne = File.ReadAllBytes(Path.Combine(directory, "seeds", "seed-1.json"));
        File.Delete(Path.Combine(directory, "seeds", "seed-0.json"));
        File.Delete(Path.Combine(directory, "result.json"));

        (code, _, error) = Cli.Run("distill", "--resume", directory);
        Assert.True(code == 0, error);
        Assert.Contains("seed 0: teacher", error, StringComparison.Ordinal);
        Assert.DoesNotContain("seed 1: teacher", error, StringComparison.Ordinal);
        Assert.Contains("seed 1: finished earlier", error, StringComparison.Ordinal);
        Assert.Equal(uninterrupted, File.ReadAllBytes(Path.Combine(directory, "result.json")));
        Assert.Equal(seedOne, File.ReadAllBytes(Path.Combine(directory, "seeds", "seed-1.json")));
    }

    [Fact]
    public void Distill_refuses_to_overwrite_a_run_and_resume_refuses_new_settings()
    {
        using var folder = new Cli.TempFolder();
        string directory = Path.Combine(folder.Path, "d");
        Assert.Equal(0, Cli.Run(Tiny(directory)).Code);
        var (code, _, error) = Cli.Run(Tiny(directory));
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("already holds a run", error, StringComparison.Ordinal);
        (code, _, error) = Cli.Run("distill", "--resume", directory, "--seeds", "3");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("drop --seeds", error, StringComparison.Ordinal);
        (code, _, error) = Cli.Run("distill", "--resume", folder.Path);
        Assert.Equal(ExitCode.Failure, code);
        Assert.Contains("config.json: no such file", error, StringComparison.Ordinal);
    }
}
