using Lifelong.Examples;

var result = ContinualRunDemo.Run();
Console.WriteLine($"ACC {result.Summary.Acc:F3}, BWT {result.Summary.Bwt:+0.000;-0.000}, forgetting {result.Summary.Forgetting:F3}");
for (int i = 0; i < result.Tasks; i++)
    Console.WriteLine($"after task {i}: " + string.Join("  ", result.AccuracyMatrix[i].Select(a => a?.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) ?? "  -  ")));
