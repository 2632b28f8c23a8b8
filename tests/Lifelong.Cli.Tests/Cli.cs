using System.Diagnostics;
using System.Text.Json.Nodes;
using Lifelong.Cli;
using Lifelong.Cli.Commands;

namespace Lifelong.Cli.Tests;

/// <summary>Runs a command in-process and captures its output, as a script would see it.</summary>
internal static class Cli
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        // Through the dispatcher, as the program runs them: its top-level handler is part of what the tests check.
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Dispatcher.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A small permuted-MNIST run: 3 tasks, a 32-unit MLP.</summary>
    public static string[] SmallRun(string outDirectory, int steps = 40) =>
        ["run", "--scenario", "permuted-mnist:train-per-task=1000,test-size=300", "--tasks", "3", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--model", "mlp:32", "--probe-size", "200", "--log-every", "10", "--out", outDirectory];

    /// <summary>Starts the CLI as a separate process (one that a test can kill).</summary>
    public static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(RunCommand).Assembly.Location);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the CLI as a separate process to its end: for tests that load plugins, which would stay in this process.</summary>
    public static (int Code, string Output, string Error) RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(RunCommand).Assembly.Location);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>A result.json without its wall time and provenance (which records, e.g., the thread count a run was given):
    /// what two runs of the same config must agree on to the bit.</summary>
    public static string ResultNumbers(string resultFile)
    {
        var json = JsonNode.Parse(File.ReadAllText(resultFile))!.AsObject();
        json.Remove("wall_seconds");
        json.Remove("provenance");
        return json.ToJsonString();
    }

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lifelong-cli-" + Guid.NewGuid().ToString("N"));

        public string Sub(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
