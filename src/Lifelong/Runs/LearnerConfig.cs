using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Evaluation;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>The <c>config.json</c> of a run built in code rather than from a <see cref="RunConfig"/>: what the learner is
/// made of, with every setting that tells one run from another, so <c>lifelong report</c> never takes two settings for
/// two seeds of one.</summary>
/// <remarks>
/// It holds the scenario (name, seed, tasks, heads), the seed, each method with every option spelled out (the options
/// record the method was built with, found on the instance), the network (type and every parameter's shape), the
/// optimizer (type and each parameter group's hyperparameters), and the evaluation and trainer options. It describes the
/// run; unlike a <see cref="RunConfig"/> it cannot rebuild it.
/// </remarks>
public static class LearnerConfig
{
    /// <summary>The JSON text describing <paramref name="learner"/> evaluated with <paramref name="evaluation"/>.</summary>
    public static string Describe(Learner learner, EvaluationOptions evaluation, TrainerOptions trainer)
    {
        var scenario = learner.Scenario;
        var description = new JsonObject
        {
            ["kind"] = "continual",
            ["scenario"] = scenario.Name,
            ["scenario_seed"] = scenario.Seed,
            ["tasks"] = scenario.TaskCount,
            ["outputs"] = scenario.OutputCount,
            ["heads"] = scenario.HeadCount,
            ["seed"] = learner.Rng.Seed,
            ["methods"] = new JsonArray([.. learner.Methods.Select(m => (JsonNode)Method(m))]),
            ["model"] = new JsonObject
            {
                ["type"] = learner.Network.GetType().Name,
                ["parameters"] = new JsonObject(learner.Network.NamedParameters().Select(p =>
                    KeyValuePair.Create(p.Name, (JsonNode?)new JsonArray([.. p.Parameter.Shape.Dims.ToArray().Select(d => (JsonNode)d)])))),
            },
            ["optimizer"] = new JsonObject
            {
                ["type"] = learner.Optimizer.GetType().Name,
                ["groups"] = new JsonArray([.. learner.Optimizer.ParamGroups.Select(g => (JsonNode)Scalars(g))]),
            },
            ["normalization"] = learner.Options.Normalization?.ToString(),
            ["evaluation"] = JsonSerializer.SerializeToNode(evaluation, RunResult.JsonOptions),
            ["trainer"] = JsonSerializer.SerializeToNode(trainer, RunResult.JsonOptions),
        };
        return description.ToJsonString(RunResult.JsonOptions);
    }

    /// <summary><c>name:key=value,...</c> from the options record the method holds (a method without one: its name).</summary>
    private static string Method(ContinualMethod method)
    {
        var optionsType = MethodCatalog.All.FirstOrDefault(e => e.Type == method.GetType())?.OptionsType;
        if (optionsType is null) return method.Name;
        for (var type = method.GetType(); type is not null; type = type.BaseType)
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (field.FieldType == optionsType && field.GetValue(method) is { } options) return OptionBinder.Resolve(method.Name, options);
        return method.Name;
    }

    private static JsonObject Scalars(ParamGroup group)
    {
        var scalars = new JsonObject();
        foreach (var property in group.GetType().GetProperties().Where(p => p.Name != nameof(ParamGroup.Params) && p.GetIndexParameters().Length == 0))
        {
            object? value = property.GetValue(group);
            if (value is double or float or int or long or bool) scalars[JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)] = JsonValue.Create(value);
        }
        return scalars;
    }
}
