using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Cli.Tests;

/// <summary>One small finished run, made once: each test copies it and takes away its result, as if the run had been
/// interrupted after its last checkpoint.</summary>
public sealed class FinishedRun : IDisposable
{
    private readonly Cli.TempFolder _folder = new();

    public FinishedRun()
    {
        Path = _folder.Sub("run");
        var run = Cli.Run(Cli.SmallRun(Path, steps: 10));
        Assert.True(run.Code == 0, run.Error);
        Result = Cli.ResultNumbers(System.IO.Path.Combine(Path, "result.json"));
    }

    public string Path { get; }

    /// <summary>The result's numbers, which a resume must give again.</summary>
    public string Result { get; }

    /// <summary>A copy of the run without its result.json, in <paramref name="folder"/>.</summary>
    public string Interrupted(string folder)
    {
        string copy = System.IO.Path.Combine(folder, "run");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Path))
            if (System.IO.Path.GetFileName(file) != "result.json") File.Copy(file, System.IO.Path.Combine(copy, System.IO.Path.GetFileName(file)));
        return copy;
    }

    public void Dispose() => _folder.Dispose();
}

public class CheckpointTrustTests(FinishedRun finished) : IClassFixture<FinishedRun>
{
    private static void EditConfig(string run, Action<JsonObject> edit)
    {
        string path = Path.Combine(run, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    [Fact]
    public void An_edited_config_json_is_refused_listing_each_change_and_the_run_is_left_as_it_was()
    {
        using var folder = new Cli.TempFolder();
        string run = finished.Interrupted(folder.Path);
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var (bytes, metrics) = (File.ReadAllBytes(checkpoint), File.ReadAllText(Path.Combine(run, "metrics.jsonl")));
        EditConfig(run, config =>
        {
            config["seed"] = 1;
            config["tasks"] = 5;
            string optimizer = config["optimizer"]!.GetValue<string>();
            Assert.Contains("lr=0.001", optimizer);
            config["optimizer"] = optimizer.Replace("lr=0.001", "lr=0.01", StringComparison.Ordinal);
        });

        var (code, _, error) = Cli.Run("run", "--resume", run);
        Assert.Equal(1, code);
        Assert.Contains("the run's settings (config.json) differ from those it was started with", error);
        Assert.Contains("  seed: 0 → 1\n", error);
        Assert.Contains("  scenario permuted-mnist tasks: 3 → 5\n", error);
        Assert.Contains("  optimizer adam lr: 0.001 → 0.01\n", error);
        Assert.Equal(bytes, File.ReadAllBytes(checkpoint));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(run, "metrics.jsonl")));
        Assert.False(File.Exists(Path.Combine(run, "result.json")));
    }

    [Fact]
    public void Editing_out_or_checkpoint_every_resumes_to_the_same_result()
    {
        using var folder = new Cli.TempFolder();
        string run = finished.Interrupted(folder.Path);
        EditConfig(run, config =>
        {
            config["out"] = "somewhere/else";
            config["checkpoint_every"] = 3;
        });

        var (code, output, error) = Cli.Run("run", "--resume", run);
        Assert.True(code == 0, error);
        Assert.Contains(": resuming from its checkpoint\n", output.ReplaceLineEndings("\n"));
        Assert.Equal(finished.Result, Cli.ResultNumbers(Path.Combine(run, "result.json")));
    }

    [Fact]
    public void A_flipped_bit_in_the_checkpoint_ends_in_exit_1_naming_the_file_and_the_tensor()
    {
        using var folder = new Cli.TempFolder();
        string run = finished.Interrupted(folder.Path);
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[^100] ^= 0x01;   // the last bit of a byte near the end of the data
        File.WriteAllBytes(checkpoint, bytes);

        var (code, _, error) = Cli.Run("run", "--resume", run);
        Assert.Equal(1, code);
        Assert.Contains($"{Path.GetFullPath(checkpoint)}: tensor '", error);
        Assert.Contains("does not match its checksum", error);
        Assert.Contains("start the run again", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_checkpoint_of_an_earlier_Lifelong_resumes_with_a_warning_that_it_is_unverified()
    {
        using var folder = new Cli.TempFolder();
        string run = finished.Interrupted(folder.Path);
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        File.WriteAllBytes(checkpoint, WithoutMetadata(File.ReadAllBytes(checkpoint), SafeTensorsFile.ChecksumsKey, "lifelong.config", "lifelong.config_sha256"));

        var (code, output, error) = Cli.Run("run", "--resume", run);
        Assert.True(code == 0, error);
        Assert.Contains("resuming from its checkpoint, unverified", output);
        Assert.Equal(finished.Result, Cli.ResultNumbers(Path.Combine(run, "result.json")));
    }

    [Fact]
    public void Transfer_and_run_refuse_a_checkpoint_of_nan_weights_naming_the_file_and_the_tensor()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string path = folder.Sub("nan.safetensors");
        var state = new Mlp([784, 32, 10], new Rng(0)).StateDict();
        state["head.weight"] = Tensor.Full(new Shape(10, 32), float.NaN);
        SafeTensors.Save(path, state);

        var transfer = Cli.Run("transfer", "--model", $"mlp:32,checkpoint={path}", "--shots", "1", "--steps", "1", "--seeds", "1");
        Assert.Equal(2, transfer.Code);
        Assert.Contains($"{path}: tensor 'head.weight' holds 320 non-finite values of 320", transfer.Error);

        var run = Cli.Run("run", "--scenario", "permuted-mnist:train-per-task=100,test-size=50", "--tasks", "1", "--steps", "1",
            "--model", $"mlp:32,checkpoint={path}", "--out", folder.Sub("run"));
        Assert.Equal(2, run.Code);
        Assert.Contains($"{path}: tensor 'head.weight' holds 320 non-finite values of 320", run.Error);
    }

    /// <summary>The file with the metadata <paramref name="keys"/> removed, as a Lifelong from before checksums wrote it.</summary>
    private static byte[] WithoutMetadata(byte[] bytes, params string[] keys)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, n))!.AsObject();
        foreach (string key in keys) header["__metadata__"]!.AsObject().Remove(key);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + (bytes.Length - 8 - n)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(8 + n).CopyTo(result.AsSpan(8 + padded));
        return result;
    }

    [Fact]
    public void Transfer_that_diverges_exits_1_naming_the_regime_and_step_instead_of_reporting_accuracies()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string path = folder.Sub("pretrained.safetensors");
        SafeTensors.Save(path, new Mlp([784, 32, 10], new Rng(0)).StateDict());

        // Adam at a step size of 1e30 sends the weights, then the logits, past float's range within a few steps.
        var (code, output, error) = Cli.Run("transfer", "--model", $"mlp:32,checkpoint={path}", "--shots", "1", "--steps", "20", "--seeds", "1", "--lr", "1e30");
        Assert.Equal(1, code);
        Assert.Contains("lifelong transfer: training (", error, StringComparison.Ordinal);
        Assert.Contains(") diverged at step ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("test accuracy", output, StringComparison.Ordinal);
    }
}
