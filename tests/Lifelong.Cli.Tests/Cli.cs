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
        ICommand[] commands = [new RunCommand(), new PretrainCommand(), new MethodsCommand(), new ReportCommand(), new BenchCommand(), new DatasetsCommand(), new MetaCommand(), new DistillCommand(), new TransferCommand(), new SweepCommand()];
        var output = new StringWriter();
        var error = new StringWriter();
        var command = commands.Single(c => c.Name == args[0]);
        int code = command.Run(args[1..], output, error);
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

    /// <summary>A result.json without its wall time: what two runs of the same config must agree on to the bit.</summary>
    public static string ResultNumbers(string resultFile)
    {
        var json = JsonNode.Parse(File.ReadAllText(resultFile))!.AsObject();
        json.Remove("wall_seconds");
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
