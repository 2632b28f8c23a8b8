using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Tensors;

namespace Lifelong.Tests.Runtime;

/// <summary>A checkpoint is verified before anything is loaded from it: damage, edits, impossible progress, broken weights
/// and checkpoints of other runs are refused with a message naming the file and what to do.</summary>
public class CheckpointTrustTests
{
    private static readonly TrainerOptions MidTask = new(LogEvery: 2, CheckpointEverySteps: 4);

    private static Training.Learner Build(int hidden = 16, bool sgd = false) => TinyRuns.Learner(TinyRuns.Permuted(tasks: 3, steps: 6), [new Finetune()], hidden: hidden, sgd: sgd);

    /// <summary>A run interrupted in task 1 after its mid-task checkpoint at step 4 (total step 10).</summary>
    private static RunDirectory Interrupted(TestData.TempFolder folder, TrainerOptions? options = null)
    {
        var directory = new RunDirectory(folder.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), options ?? MidTask, directory, new CrashAfter(11)).Run());
        return directory;
    }

    private static InvalidDataException Refused(RunDirectory directory, Training.Learner? learner = null, TrainerOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => new Trainer(learner ?? Build(), TinyRuns.Evaluator(), options ?? MidTask, directory).Resume());

    /// <summary>Rewrites the checkpoint through <see cref="SafeTensors.Save"/>, so the checksums match the edit: what only a deliberate forgery does.</summary>
    private static void Forge(RunDirectory directory, Action<OrderedDictionary<string, Tensor>, Dictionary<string, string>> edit)
    {
        var file = SafeTensors.Load(directory.CheckpointFile);
        var metadata = new Dictionary<string, string>(file.Metadata);
        edit(file.Tensors, metadata);
        SafeTensors.Save(directory.CheckpointFile, file.Tensors, metadata);
    }

    private static void EditProgress(RunDirectory directory, Action<JsonObject> edit) => Forge(directory, (_, metadata) =>
    {
        var progress = JsonNode.Parse(metadata["lifelong.progress"])!.AsObject();
        edit(progress);
        metadata["lifelong.progress"] = progress.ToJsonString();
    });

    [Fact]
    public void One_flipped_bit_in_a_weight_is_refused_naming_the_file_the_tensor_and_what_to_do()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        var bytes = File.ReadAllBytes(directory.CheckpointFile);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, n))!.AsObject();
        int begin = header["model.fc1.weight"]!["data_offsets"]![0]!.GetValue<int>();
        bytes[8 + n + begin + 400] ^= 0x04;   // one mantissa bit of one weight
        File.WriteAllBytes(directory.CheckpointFile, bytes);

        var e = Refused(directory);
        Assert.Contains(directory.CheckpointFile, e.Message);
        Assert.Contains("tensor 'model.fc1.weight'", e.Message);
        Assert.Contains("does not match its checksum", e.Message);
        Assert.Contains("start the run again", e.Message);
    }

    [Fact]
    public void An_edited_progress_record_is_refused_by_the_checksum()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        var bytes = File.ReadAllBytes(directory.CheckpointFile);
        string text = Encoding.Latin1.GetString(bytes);
        int at = text.IndexOf("task_step", StringComparison.Ordinal);
        int digit = text.IndexOf('4', at);   // task_step 4 → 5: a resume from there would skip a batch without a word
        bytes[digit] = (byte)'5';
        File.WriteAllBytes(directory.CheckpointFile, bytes);

        var e = Refused(directory);
        Assert.Contains("lifelong.progress", e.Message);
        Assert.Contains("does not match its checksum", e.Message);
    }

    [Theory]
    [InlineData("task_step", -5, "task_step -5 is negative")]
    [InlineData("task_step", 9999, "task_step 9999 is not inside task 1, which has 6 steps")]
    [InlineData("task", 7, "task 7 is outside 0..3 (the run has 3 tasks)")]
    [InlineData("task", -1, "task -1 is outside 0..3 (the run has 3 tasks)")]
    [InlineData("total_steps", 2, "total_steps 2 is less than task_step 4")]
    public void Impossible_progress_is_refused_even_when_the_checksums_were_forged_to_match(string key, int value, string problem)
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        EditProgress(directory, progress => progress[key] = value);

        var e = Refused(directory);
        Assert.Contains($"{directory.CheckpointFile}: the recorded progress is impossible for this run: {problem}.", e.Message);
    }

    [Fact]
    public void A_data_loader_position_outside_the_task_is_refused()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        EditProgress(directory, progress => progress["loader"]!["cursor"] = 100_000);

        var e = Refused(directory);
        Assert.Contains("the recorded data-loader position does not fit task 1", e.Message);
    }

    [Theory]
    [InlineData("model.head.bias", float.NaN)]
    [InlineData("init.fc1.weight", float.PositiveInfinity)]
    [InlineData("optimizer.state.0.exp_avg_sq", float.NaN)]
    public void Non_finite_values_in_a_checkpoint_are_refused_naming_the_file_and_the_tensor(string name, float broken)
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        Forge(directory, (tensors, _) =>
        {
            var values = tensors[name].ToArray();
            values[values.Length / 2] = broken;
            tensors[name] = Tensor.FromArray(values, [.. tensors[name].Shape.Dims]);
        });

        var e = Refused(directory);
        Assert.StartsWith($"{directory.CheckpointFile}: tensor '{name}' holds 1 non-finite value of ", e.Message);
    }

    [Fact]
    public void A_checkpoint_from_another_architecture_is_refused_with_a_message_not_a_stack_trace()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        var e = Refused(directory, Build(hidden: 24));
        Assert.Contains("the checkpoint does not fit this run", e.Message);
        Assert.Contains("fc1.weight: the state dict has shape (16, 784), the module has shape (24, 784)", e.Message);
        Assert.IsType<ArgumentException>(e.InnerException);
    }

    [Fact]
    public void A_checkpoint_from_another_optimizer_is_refused_with_a_message()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder);
        var e = Refused(directory, Build(sgd: true));
        Assert.Contains("the checkpoint does not fit this run", e.Message);
        Assert.Contains("from a Adam optimizer", e.Message);
    }

    [Fact]
    public void Other_settings_are_refused_listing_each_change_and_the_editable_ones_resume_to_the_bit()
    {
        var config = new RunConfig { Seed = 3, Optimizer = "adam:lr=0.001", Scenario = "permuted-mnist:tasks=3", Out = "a", CheckpointEvery = 4 };
        var recorded = MidTask with { Config = config };
        using var whole = new TestData.TempFolder();
        var expected = new Trainer(Build(), TinyRuns.Evaluator(), recorded, new RunDirectory(whole.Path)).Run();
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder, recorded);

        var edited = config with { Seed = 4, Optimizer = "adam:lr=0.01", Scenario = "permuted-mnist:tasks=5", LogEvery = 7 };
        var e = Refused(directory, options: MidTask with { Config = edited });
        Assert.Contains("the run's settings (config.json) differ from those it was started with", e.Message);
        Assert.Contains("  scenario permuted-mnist tasks: 3 → 5\n", e.Message);
        Assert.Contains("  seed: 3 → 4\n", e.Message);
        Assert.Contains("  optimizer adam lr: 0.001 → 0.01\n", e.Message);
        Assert.Contains("  log_every: 50 → 7\n", e.Message);
        Assert.Contains("Only out and checkpoint_every may change on resume.", e.Message);

        // Where the run lives and how often it checkpoints change no number: such an edit resumes to the same result.
        var moved = config with { Out = "b", CheckpointEvery = 5 };
        var resumed = new Trainer(Build(), TinyRuns.Evaluator(), MidTask with { Config = moved }, directory).Resume();
        Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "metrics.jsonl")), File.ReadAllText(directory.MetricsFile));
    }

    [Fact]
    public void A_checkpoint_of_an_earlier_Lifelong_without_checksums_still_resumes_to_the_bit()
    {
        using var whole = new TestData.TempFolder();
        var expected = new Trainer(Build(), TinyRuns.Evaluator(), MidTask, new RunDirectory(whole.Path)).Run();
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder, MidTask with { Config = new RunConfig() });
        File.WriteAllBytes(directory.CheckpointFile, WithoutMetadata(File.ReadAllBytes(directory.CheckpointFile), SafeTensorsFile.ChecksumsKey, "lifelong.config", "lifelong.config_sha256"));
        Assert.True(RunCheckpoint.PredatesChecksums(directory.CheckpointFile));

        var resumed = new Trainer(Build(), TinyRuns.Evaluator(), MidTask with { Config = new RunConfig { Seed = 9 } }, directory).Resume();
        Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
    }

    [Fact]
    public void A_checkpoint_that_records_settings_but_lost_its_checksums_is_refused()
    {
        using var folder = new TestData.TempFolder();
        var directory = Interrupted(folder, MidTask with { Config = new RunConfig() });
        File.WriteAllBytes(directory.CheckpointFile, WithoutMetadata(File.ReadAllBytes(directory.CheckpointFile), SafeTensorsFile.ChecksumsKey));
        Assert.False(RunCheckpoint.PredatesChecksums(directory.CheckpointFile));

        var e = Refused(directory, options: MidTask with { Config = new RunConfig() });
        Assert.Contains("records the run's settings but not its checksums", e.Message);
    }

    /// <summary>The file with the metadata <paramref name="keys"/> removed, as an earlier Lifelong (or a damaged header) would leave it.</summary>
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
}
