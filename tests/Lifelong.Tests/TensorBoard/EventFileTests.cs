using System.Globalization;
using System.Text.Json.Nodes;
using Lifelong.Methods;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.TensorBoard;
using Lifelong.TensorBoard.Protos;
using Lifelong.Tests.Runtime;

namespace Lifelong.Tests.TensorBoard;

public class EventFileTests
{
    private static readonly TrainerOptions s_options = new(LogEvery: 2);

    [Fact]
    public void Python_protobuf_reads_the_event_file_of_a_run_with_the_metrics_and_summary_of_its_json_files()
    {
        using var folder = new TestData.TempFolder();
        var directory = new RunDirectory(folder.File("run"));
        var result = new Trainer(Build(), TinyRuns.Evaluator(), s_options, directory).Run();
        string eventFile = Assert.Single(Directory.GetFiles(directory.Path, "*tfevents*"));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(eventFile));

        var events = ProtobufDecoder.Decode(eventFile, ProtobufDecoder.ProtoDirectory(), folder.Path);
        var lines = File.ReadAllLines(directory.MetricsFile).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal("brain.Event:2", (string?)events[0]!["file_version"]);
        Assert.Equal(1 + lines.Count + 1, events.Count);   // header, one event per metrics line, the summary
        int steps = 0, taskEnds = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var e = events[i + 1]!;
            Assert.Equal((long)line["total_steps"]!, (long)e["step"]!);
            var values = Values(e);
            if ((string?)line["event"] == "step")
            {
                steps++;
                Assert.Equal(F(line["loss"]), values["train/loss"]);
                Assert.Equal(F(line["online_accuracy"]), values["train/online_accuracy"]);
                continue;
            }
            taskEnds++;
            var row = line["accuracy"]!.AsArray();
            for (int j = 0; j < row.Count; j++)
            {
                string tag = $"eval/task_{j + 1:D2}_accuracy";
                if (row[j] is null) Assert.False(values.ContainsKey(tag));
                else Assert.Equal(F(row[j]), values[tag]);
            }
            var probe = line["probe"]!;
            foreach (var layer in probe["layers"]!.AsArray())
            {
                string name = (string)layer!["name"]!;
                Assert.Equal(F(layer["dormant_fraction"]), values[$"probes/{name}/dormant_fraction"]);
                Assert.Equal(F(layer["dead_fraction"]), values[$"probes/{name}/dead_fraction"]);
                Assert.Equal(F(layer["srank"]), values[$"probes/{name}/srank"]);
                Assert.Equal(F(layer["effective_rank"]), values[$"probes/{name}/effective_rank"]);
            }
            Assert.Equal(F(probe["weight_magnitude"]), values["probes/weight_magnitude"]);
            Assert.Equal(F(probe["distance_from_init"]), values["probes/distance_from_init"]);
        }
        Assert.Equal((3, 9), (taskEnds, steps));   // 3 tasks of 6 steps, a line every 2 steps

        var summary = Values(events[^1]!);
        var written = RunResult.Load(directory.ResultFile).Summary;
        Assert.Equal(18, (long)events[^1]!["step"]!);
        Assert.Equal((double)(float)written.Acc, summary["summary/acc"]);
        Assert.Equal((double)(float)written.Bwt, summary["summary/bwt"]);
        Assert.Equal((double)(float)written.Forgetting, summary["summary/forgetting"]);
        Assert.Equal((double)(float)written.TotalOnlineAccuracy, summary["summary/total_online_accuracy"]);
        Assert.Equal((double)(float)result.Summary.Fwt, summary["summary/fwt"]);
        double start = (double)events[0]!["wall_time"]!;
        Assert.InRange(start, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Theory]
    [InlineData(0, 9, true)]     // task boundaries only: resumed from the end of task 0, the point of step 8 is cut
    [InlineData(4, 13, false)]   // killed just after a mid-task checkpoint: nothing to cut
    public void A_resumed_run_has_the_points_of_an_uninterrupted_one_once_each(int checkpointEvery, long crashAfter, bool cut)
    {
        var options = s_options with { CheckpointEverySteps = checkpointEvery };
        using var whole = new TestData.TempFolder();
        new Trainer(Build(), TinyRuns.Evaluator(), options, new RunDirectory(whole.Path)).Run();

        using var broken = new TestData.TempFolder();
        var directory = new RunDirectory(broken.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), options, directory, new CrashAfter(crashAfter)).Run());
        var beforeResume = Read(directory.Path);
        new Trainer(Build(), TinyRuns.Evaluator(), options, directory).Resume();
        var resumed = Read(directory.Path);

        Assert.Equal(Points(Read(whole.Path)), Points(resumed));
        // The points kept from the first session keep their wall times.
        int kept = resumed.Zip(beforeResume).TakeWhile(p => p.First.Equals(p.Second)).Count();
        Assert.InRange(kept, 2, beforeResume.Count);
        Assert.Equal(cut, kept < beforeResume.Count);
    }

    [Fact]
    public void A_lost_event_file_is_rebuilt_from_the_metrics_on_resume()
    {
        using var whole = new TestData.TempFolder();
        new Trainer(Build(), TinyRuns.Evaluator(), s_options, new RunDirectory(whole.Path)).Run();
        using var broken = new TestData.TempFolder();
        var directory = new RunDirectory(broken.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), s_options, directory, new CrashAfter(9)).Run());
        File.Delete(TensorBoardLog.Find(directory.Path)!);

        new Trainer(Build(), TinyRuns.Evaluator(), s_options, directory).Resume();
        Assert.Equal(Points(Read(whole.Path)), Points(Read(directory.Path)));
    }

    [Fact]
    public void Tensorboard_off_writes_no_event_file()
    {
        using var folder = new TestData.TempFolder();
        new Trainer(Build(), TinyRuns.Evaluator(), s_options with { TensorBoard = false }, new RunDirectory(folder.Path)).Run();
        Assert.Empty(Directory.GetFiles(folder.Path, "*tfevents*"));
        Assert.False(new RunConfig().With([new("tensorboard", ["false"])]).Trainer.TensorBoard);
        Assert.True(new RunConfig().Trainer.TensorBoard);
    }

    [Fact]
    public void The_other_kinds_lines_chart_every_number_but_their_position_under_their_event_name()
    {
        var (step, scalars) = TensorBoardScalars.FromMetricsLine("""{"event":"meta_iteration","iteration":40,"total_steps":40,"loss":1.25,"accuracy":0.5}""");
        Assert.Equal(40, step);
        Assert.Equal([new TensorBoardScalar("meta_iteration/loss", 1.25), new TensorBoardScalar("meta_iteration/accuracy", 0.5)], scalars);
        (step, scalars) = TensorBoardScalars.FromMetricsLine("""{"event":"distill_step","seed":1,"phase":"teacher","step":20,"total_steps":180,"loss":0.75}""");
        Assert.Equal(180, step);
        Assert.Equal([new TensorBoardScalar("distill_step/loss", 0.75)], scalars);
        Assert.Empty(TensorBoardScalars.FromMetricsLine("""{"event":"diverged","total_steps":3,"loss":"NaN"}""").Scalars);
    }

    [Fact]
    public void Task_tags_are_numbered_from_one_and_padded_to_sort_in_task_order() =>
        Assert.Equal(["eval/task_01_accuracy", "eval/task_10_accuracy", "eval/task_007_accuracy"],
            [TensorBoardScalars.TaskAccuracyTag(0, 10), TensorBoardScalars.TaskAccuracyTag(9, 10), TensorBoardScalars.TaskAccuracyTag(6, 100)]);

    private static Training.Learner Build() => TinyRuns.Learner(TinyRuns.Permuted(tasks: 3, steps: 6), [new Finetune()]);

    private static double F(JsonNode? value) => (float)(double)value!;

    private static Dictionary<string, double> Values(JsonNode e) =>
        e["values"]!.AsArray().ToDictionary(v => (string)v![0]!, v => (double)v![1]!);

    private static List<Event> Read(string directory) =>
        [.. TfRecord.Read(File.ReadAllBytes(TensorBoardLog.Find(directory)!)).Select(r => Event.Parser.ParseFrom(r.Data))];

    /// <summary>Every (step, tag, value) after the header, without wall times.</summary>
    private static List<string> Points(List<Event> events) =>
        [.. events.Skip(1).SelectMany(e => e.Summary.Value.Select(v => string.Create(CultureInfo.InvariantCulture, $"{e.Step} {v.Tag} {v.SimpleValue:R}")))];
}
