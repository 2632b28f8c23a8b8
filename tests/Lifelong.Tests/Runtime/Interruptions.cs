using System.Text.Json.Nodes;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Runtime;

/// <summary>What a crash looks like to a run: an exception out of a step.</summary>
internal sealed class Interruption : Exception;

/// <summary>Throws <see cref="Interruption"/> after a given number of steps, as a crash would stop the run there.</summary>
internal sealed class CrashAfter(long steps) : ITrainingObserver
{
    private long _seen;

    public void OnTaskStart(ContinualTask task, int taskCount, int stepsDone) { }

    public void OnStep(ContinualTask task, int step, double loss, double onlineAccuracy)
    {
        if (++_seen == steps) throw new Interruption();
    }

    public void OnTaskEnd(ContinualTask task, IReadOnlyList<double?> row, double onlineAccuracy) { }
}

/// <summary>A result's JSON without <c>wall_seconds</c>: what must be identical between an interrupted and an uninterrupted run.</summary>
internal static class ResultNumbers
{
    public static string Of(RunResult result)
    {
        var json = JsonNode.Parse(result.ToJson())!.AsObject();
        json.Remove("wall_seconds");
        return json.ToJsonString();
    }
}
