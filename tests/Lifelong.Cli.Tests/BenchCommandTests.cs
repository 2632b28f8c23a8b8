using System.Text.Json;

namespace Lifelong.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void Json_output_is_one_object_per_workload_with_the_reference_keys()
    {
        var (code, output, _) = Cli.Run("bench", "--json", "--seconds", "0.05", "--warmup", "0", "--only", "gemm-128x784x256");
        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("gemm-128x784x256", json.RootElement.GetProperty("workload").GetString());
        Assert.True(json.RootElement.GetProperty("steps_per_s").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("gflops").GetDouble() > 0);
        Assert.Equal(Lifelong.Tensors.EngineInfo.InstructionSet, json.RootElement.GetProperty("isa").GetString());
        Assert.Equal(Lifelong.Tensors.EngineInfo.Threads, json.RootElement.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Threads_runs_the_engine_with_that_many_threads_and_records_it_with_the_instruction_set()
    {
        // One thread differs from this machine's count wherever it has two or more cores, so the bench runs in a child
        // process with DOTNET_PROCESSOR_COUNT=1; its record must say 1 thread and the same instruction-set path.
        var (code, output, error) = Cli.Run("bench", "--json", "--seconds", "0.05", "--warmup", "0", "--only", "gemm-128x784x256", "--threads", "1");
        Assert.True(code == 0, error);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(1, json.RootElement.GetProperty("threads").GetInt32());
        Assert.Equal(Lifelong.Tensors.EngineInfo.InstructionSet, json.RootElement.GetProperty("isa").GetString());
        Assert.True(json.RootElement.GetProperty("steps").GetInt64() >= 1);
        Assert.True(json.RootElement.GetProperty("cpu_seconds").GetDouble() > 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("-3")]
    public void A_bad_threads_value_is_bad_usage_naming_the_value(string threads)
    {
        var (code, _, error) = Cli.Run("bench", "--threads", threads);
        Assert.Equal(2, code);
        Assert.Contains($"--threads {threads}: expected a whole number of engine threads", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_reference_workload_runs_a_step()
    {
        // The names are those of ../shared/bench/torch_reference.py; each workload must build and take steps.
        string[] expected = ["mlp-100x2-b16", "mlp-256x2-b128", "mlp-1000x2-b256", "mlp-256x2-ln-b128", "cnn-b64", "vit-d64-b64", "maml2-mlp-40x2", "gemm-128x784x256", "gemm-1024"];
        Assert.Equal(expected, Bench.BenchWorkloads.All().Select(w => w.Name));
        foreach (var (name, build) in Bench.BenchWorkloads.All().Where(w => w.Name is "mlp-100x2-b16" or "maml2-mlp-40x2" or "cnn-b64"))
        {
            var workload = build();
            workload.Step();
            Assert.Equal(name, workload.Name);
        }
    }

    [Fact]
    public void An_unknown_workload_is_bad_usage_and_lists_the_valid_ones()
    {
        var (code, _, error) = Cli.Run("bench", "--only", "resnet");
        Assert.Equal(2, code);
        Assert.Contains("mlp-100x2-b16", error);
    }

    [Fact]
    public void The_warm_up_lasts_at_least_five_steps_and_the_warmup_seconds()
    {
        // With one core the JIT's tier-up shares it with the workload, so the warm-up is timed, not only counted.
        var (code, output, error) = Cli.Run("bench", "--json", "--seconds", "0.05", "--warmup", "0.3", "--only", "mlp-100x2-b16");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.True(json.RootElement.GetProperty("warmup_seconds").GetDouble() >= 0.3);
        Assert.True(json.RootElement.GetProperty("warmup_steps").GetInt32() >= 5);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("nan")]
    [InlineData("ten")]
    public void A_bad_warmup_value_is_bad_usage_naming_the_value(string warmup)
    {
        var (code, _, error) = Cli.Run("bench", "--warmup", warmup);
        Assert.Equal(2, code);
        Assert.Contains($"--warmup {warmup}: expected a number of warm-up seconds", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("nan")]
    [InlineData("0")]
    public void A_bad_seconds_value_is_bad_usage_naming_the_value(string seconds)
    {
        var (code, _, error) = Cli.Run("bench", "--seconds", seconds);
        Assert.Equal(2, code);
        Assert.Contains($"--seconds {seconds}: expected a positive number of seconds", error, StringComparison.Ordinal);
    }
}
