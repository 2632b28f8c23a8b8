using System.Globalization;
using System.Text.Json;
using Lifelong.Results;

namespace Lifelong.TensorBoard;

/// <summary>One TensorBoard point: a tagged value at a step.</summary>
/// <param name="Tag">The series name; the part before the first '/' is the group TensorBoard folds it under.</param>
/// <param name="Value">The value (written as float32, as TensorBoard's scalars are).</param>
public readonly record struct TensorBoardScalar(string Tag, double Value);

/// <summary>The scalars TensorBoard shows for a run, and their tags: each is a pure function of one <c>metrics.jsonl</c>
/// line (or of the final summary), so the event file can always be rebuilt from the metrics.</summary>
/// <remarks>
/// Tags, x = training steps done in the whole run (tasks numbered from 1, as in the report):
/// <code>
/// train/loss, train/online_accuracy             every log_every steps (window means, as metrics.jsonl)
/// train/task_online_accuracy                   after each task: its mean online accuracy
/// eval/task_03_accuracy                        after each task: accuracy on task 3 (evaluated tasks only)
/// eval/mean_seen_accuracy                      after each task: mean accuracy over the tasks trained so far
/// probes/fc1/dead_fraction, .../dormant_fraction, .../srank, .../effective_rank
/// probes/weight_magnitude, probes/distance_from_init, method/&lt;name&gt;   (the methods' diagnostics)
/// summary/acc, summary/bwt, ...               once, at the end of the run
/// </code>
/// </remarks>
public static class TensorBoardScalars
{
    /// <summary>The step and scalars of one <c>metrics.jsonl</c> line; no scalars for a line they do not chart (a divergence).</summary>
    /// <exception cref="InvalidDataException">The line is not a JSON object.</exception>
    public static (long Step, IReadOnlyList<TensorBoardScalar> Scalars) FromMetricsLine(string line)
    {
        using var document = Parse(line);
        var root = document.RootElement;
        string kind = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        long step = root.TryGetProperty("total_steps", out var s) && s.TryGetInt64(out long value) ? value : 0;
        var scalars = new List<TensorBoardScalar>();
        switch (kind)
        {
            case "step":
                Add(scalars, "train/loss", root, "loss");
                Add(scalars, "train/online_accuracy", root, "online_accuracy");
                break;
            case "task_end":
                TaskEnd(root, scalars);
                break;
            case not ("" or "diverged"):
                // The other experiment kinds' lines (meta-training iterations, pretraining steps, distillation phases):
                // every number but the position becomes EVENT/NAME.
                foreach (var property in root.EnumerateObject())
                    if (property.Value.ValueKind == JsonValueKind.Number && property.Name is not ("total_steps" or "step" or "seed" or "iteration"))
                        Add(scalars, $"{kind}/{property.Name}", root, property.Name);
                break;
        }
        return (step, scalars);
    }

    /// <summary>The run's summary metrics under <c>summary/</c>, with result.json's names.</summary>
    public static IReadOnlyList<TensorBoardScalar> FromSummary(RunSummary summary) =>
    [
        new("summary/acc", summary.Acc),
        new("summary/avg_incremental_acc", summary.AvgIncrementalAcc),
        new("summary/bwt", summary.Bwt),
        new("summary/fwt", summary.Fwt),
        new("summary/forgetting", summary.Forgetting),
        new("summary/total_online_accuracy", summary.TotalOnlineAccuracy),
    ];

    /// <summary><c>eval/task_03_accuracy</c> for the 0-based <paramref name="task"/> of <paramref name="taskCount"/>: numbered
    /// from 1 and zero-padded so that TensorBoard's alphabetical order is the task order.</summary>
    public static string TaskAccuracyTag(int task, int taskCount)
    {
        int digits = Math.Max(2, taskCount.ToString(CultureInfo.InvariantCulture).Length);
        return $"eval/task_{(task + 1).ToString("D" + digits, CultureInfo.InvariantCulture)}_accuracy";
    }

    private static void TaskEnd(JsonElement root, List<TensorBoardScalar> scalars)
    {
        if (root.TryGetProperty("accuracy", out var row) && row.ValueKind == JsonValueKind.Array)
        {
            int count = row.GetArrayLength(), task = root.TryGetProperty("task", out var t) && t.TryGetInt32(out int index) ? index : count - 1;
            var seen = new List<double>();
            int j = 0;
            foreach (var cell in row.EnumerateArray())
            {
                if (Number(cell) is { } accuracy)
                {
                    scalars.Add(new(TaskAccuracyTag(j, count), accuracy));
                    if (j <= task) seen.Add(accuracy);
                }
                j++;
            }
            if (seen.Count > 0) scalars.Add(new("eval/mean_seen_accuracy", seen.Average()));
        }
        Add(scalars, "train/task_online_accuracy", root, "online_accuracy");
        if (!root.TryGetProperty("probe", out var probe) || probe.ValueKind != JsonValueKind.Object) return;
        if (probe.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
        {
            foreach (var layer in layers.EnumerateArray())
            {
                string name = layer.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "layer";
                foreach (string key in (string[])["dead_fraction", "dormant_fraction", "srank", "effective_rank"])
                    Add(scalars, $"probes/{name}/{key}", layer, key);
            }
        }
        Add(scalars, "probes/weight_magnitude", probe, "weight_magnitude");
        Add(scalars, "probes/distance_from_init", probe, "distance_from_init");
        if (probe.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in method.EnumerateObject())
                if (Number(property.Value) is { } v) scalars.Add(new($"method/{property.Name}", v));
        }
    }

    private static void Add(List<TensorBoardScalar> scalars, string tag, JsonElement parent, string key)
    {
        if (parent.TryGetProperty(key, out var element) && Number(element) is { } value) scalars.Add(new(tag, value));
    }

    /// <summary>A number, or one of the strings NaN / Infinity / -Infinity that Lifelong's JSON writes for non-finite values.</summary>
    private static double? Number(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String when double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => v,
        _ => null,
    };

    private static JsonDocument Parse(string line)
    {
        try
        {
            var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        throw new InvalidDataException($"metrics.jsonl: the line '{(line.Length > 80 ? line[..80] + "…" : line)}' is not a JSON object.");
    }
}
