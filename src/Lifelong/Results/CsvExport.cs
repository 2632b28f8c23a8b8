using System.Globalization;
using System.Text;

namespace Lifelong.Results;

/// <summary>The result's tables as CSV: the accuracy matrix, per-task values, probes.</summary>
public static class CsvExport
{
    /// <summary>Writes <c>accuracy_matrix.csv</c>, <c>tasks.csv</c> and <c>probes.csv</c> into <paramref name="directory"/>.</summary>
    public static void WriteAll(RunResult result, string directory)
    {
        File.WriteAllText(Path.Combine(directory, "accuracy_matrix.csv"), AccuracyMatrix(result));
        File.WriteAllText(Path.Combine(directory, "tasks.csv"), Tasks(result));
        File.WriteAllText(Path.Combine(directory, "probes.csv"), Probes(result));
    }

    /// <summary>Row i: <c>after_task,i</c>, then R[i][0..T−1]; skipped entries are empty.</summary>
    public static string AccuracyMatrix(RunResult result)
    {
        var text = new StringBuilder("after_task");
        for (int j = 0; j < result.Tasks; j++) text.Append(",task_").Append(j);
        text.Append('\n');
        for (int i = 0; i < result.AccuracyMatrix.Count; i++)
        {
            text.Append(i);
            foreach (var value in result.AccuracyMatrix[i]) text.Append(',').Append(Number(value));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One line per task: final accuracy, accuracy just after training it, random-init accuracy, online accuracy.</summary>
    public static string Tasks(RunResult result)
    {
        var text = new StringBuilder("task,final_accuracy,accuracy_after_training,random_init_accuracy,online_accuracy\n");
        var last = result.AccuracyMatrix.Count > 0 ? result.AccuracyMatrix[^1] : [];
        for (int j = 0; j < result.Tasks; j++)
        {
            double? final = j < last.Count ? last[j] : null;
            double? diagonal = j < result.AccuracyMatrix.Count ? result.AccuracyMatrix[j][j] : null;
            double? random = j < result.RandomInitAccuracy.Count ? result.RandomInitAccuracy[j] : null;
            double? online = j < result.OnlineAccuracy.Count ? result.OnlineAccuracy[j] : null;
            text.Append(CultureInfo.InvariantCulture, $"{j},{Number(final)},{Number(diagonal)},{Number(random)},{Number(online)}\n");
        }
        return text.ToString();
    }

    /// <summary>One line per task and hidden layer, with the run-wide |θ| and ‖θ − θ₀‖ of that task repeated.</summary>
    public static string Probes(RunResult result)
    {
        var text = new StringBuilder("task,layer,dead_fraction,dormant_fraction,srank,effective_rank,weight_magnitude,distance_from_init\n");
        foreach (var probe in result.Probes)
        {
            if (probe.Layers.Count == 0)
                text.Append(CultureInfo.InvariantCulture, $"{probe.Task},,,,,,{Number(probe.WeightMagnitude)},{Number(probe.DistanceFromInit)}\n");
            foreach (var layer in probe.Layers)
                text.Append(CultureInfo.InvariantCulture,
                    $"{probe.Task},{layer.Name},{Number(layer.DeadFraction)},{Number(layer.DormantFraction)},{layer.Srank},{Number(layer.EffectiveRank)},{Number(probe.WeightMagnitude)},{Number(probe.DistanceFromInit)}\n");
        }
        return text.ToString();
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
