using System.Diagnostics;
using System.Globalization;
using Lifelong.Rl.Environments;
using Lifelong.Rl.Levels;
using Lifelong.Rl.Vectorization;
using Lifelong.Tensors;

// Environment steps per second, single and vectorized, on one thread. `[seconds]` per measurement (default 1).
// Actions are drawn up front so the generator is not timed; episodes that end are reset, as an agent would.
double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
var actions = new int[1 << 16];
var rng = new Rng(0);
for (int i = 0; i < actions.Length; i++) actions[i] = rng.NextInt(6);

// On a shared machine the best round is the one least disturbed by other processes; the median is printed beside it.
Console.WriteLine($"{"workload",-48} {"best steps/s",14} {"median",14} {"ns/step",9}");
foreach (var (name, create) in new (string, Func<IEnvironment>)[]
{
    ("cartpole", () => new CartPole()),
    ("acrobot", () => new Acrobot()),
    ("mountaincar", () => new MountainCar()),
    ("gridworld 5x5", () => new GridWorld()),
    ("cartpole + 10 observation-shift levels", () => ContinualClassicControl.CartPole(new Rng(1), stepsPerLevel: 1000)),
})
{
    var env = create();
    var observation = new float[env.ObservationSize];
    env.Reset(observation, seed: 0);
    int count = env.ActionCount;
    Report(name + " (single)", () =>
    {
        for (int i = 0; i < 1024; i++)
            if (env.Step(actions[i & (actions.Length - 1)] % count, observation).Done) env.Reset(observation);
        return 1024;
    });
}
foreach (int copies in new[] { 1, 8, 64, 256 })
{
    var vector = new VectorEnvironment(_ => new CartPole(), copies);
    vector.Reset(seed: 0);
    var batch = new int[copies];
    int next = 0;
    Report($"cartpole vector x{copies}", () =>
    {
        int rounds = Math.Max(1, 1024 / copies);
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < copies; i++) batch[i] = actions[next++ & (actions.Length - 1)] & 1;
            vector.Step(batch);
        }
        return rounds * copies;
    });
}

void Report(string name, Func<int> round)
{
    var warmUp = Stopwatch.StartNew();
    while (warmUp.Elapsed.TotalSeconds < 0.5) round();
    var rates = new List<double>();
    var total = Stopwatch.StartNew();
    while (total.Elapsed.TotalSeconds < seconds)
    {
        long start = Stopwatch.GetTimestamp();
        int steps = round();
        rates.Add(steps / Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
    rates.Sort();
    double median = rates[rates.Count / 2], best = rates[^1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} {best,14:N0} {median,14:N0} {1e9 / best,9:F1}"));
}
