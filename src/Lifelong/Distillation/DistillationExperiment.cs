using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Distillation;

/// <summary>Options of <see cref="DistillationExperiment"/>.</summary>
/// <param name="Teacher">Hidden widths of the teacher MLP (Hinton et al.'s MNIST teacher: 1200, 1200).</param>
/// <param name="Student">Hidden widths of the student MLP (theirs: 800, 800; smaller students show the effect more).</param>
/// <param name="TeacherSteps">Teacher training steps.</param>
/// <param name="StudentSteps">Training steps of each student (alone and distilled: the same budget, data order and init).</param>
/// <param name="BatchSize">Batch size of every training step.</param>
/// <param name="LearningRate">Adam's step size for teacher and students.</param>
/// <param name="Temperature">T of the soft targets.</param>
/// <param name="Alpha">Weight of the soft-target term: α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE(student, labels).</param>
/// <param name="TeacherDropout">Dropout after each hidden layer of the teacher while it trains (Hinton et al. regularized
/// their MNIST teacher with dropout); 0: none.</param>
public sealed record DistillationOptions(
    [Positive] int[] Teacher, [Positive] int[] Student, [Positive] int TeacherSteps = 3_000, [Positive] int StudentSteps = 3_000, [Positive(Max = 100_000)] int BatchSize = 128, [Positive] double LearningRate = 1e-3,
    [Positive] float Temperature = 4f, [Probability] float Alpha = 0.9f, [Between(0, 1, MaxExclusive = true)] float TeacherDropout = 0f);

/// <summary>Test accuracies of one seed: the teacher, the student trained alone, the student trained with distillation.</summary>
public sealed record DistillationRun(ulong Seed, double Teacher, double StudentAlone, double StudentDistilled, long TeacherParameters, long StudentParameters);

/// <summary>Knowledge distillation as its own experiment (Hinton, Vinyals &amp; Dean 2015): train a large teacher, then the
/// same small student twice — on the labels alone, and on the labels plus the teacher's temperature-softened outputs —
/// with the same init, data order and budget, so the difference is the distillation alone.</summary>
public static class DistillationExperiment
{
    /// <summary>One seed of the experiment on <paramref name="data"/> (flattened images in [0, 1]).</summary>
    /// <param name="data">The data.</param> <param name="options">The experiment.</param> <param name="seed">The seed.</param>
    /// <param name="log">A line after the teacher and after the students.</param>
    /// <param name="progress">After every training step: the phase ("seed 0: teacher"), steps done, steps in the phase.</param>
    /// <param name="loss">After every training step: the phase (<c>teacher</c>, <c>student_alone</c>, <c>student_distilled</c>),
    /// the step (from 1) and its loss.</param>
    /// <exception cref="NotFiniteNumberException">A loss became NaN or infinite (the learning rate is too large): no accuracy is reported.</exception>
    public static DistillationRun Run(TrainTestSplit data, DistillationOptions options, ulong seed, Action<string>? log = null, Action<string, int, int>? progress = null, Action<string, int, double>? loss = null)
    {
        if (options.Temperature <= 0 || options.Alpha is < 0 or > 1 || options.TeacherSteps < 1 || options.StudentSteps < 1 || options.BatchSize < 1 || options.TeacherDropout is < 0 or >= 1)
            throw new ArgumentException("distillation: temperature must be > 0, alpha in [0, 1], teacher dropout in [0, 1), steps and batch size ≥ 1.", nameof(options));
        var rng = new Rng(seed);
        int inputs = data.Shape.Size, classes = data.ClassCount;
        Module teacher = options.TeacherDropout > 0
            ? DropoutMlp(inputs, options.Teacher, classes, options.TeacherDropout, rng.Split("teacher"))
            : new Mlp([inputs, .. options.Teacher, classes], rng.Split("teacher"));
        Train("the teacher", teacher, data, options.TeacherSteps, options, rng.Split("teacher data"), null, (done, total) => progress?.Invoke($"seed {seed}: teacher", done, total), (step, value) => loss?.Invoke("teacher", step, value));
        double teacherAccuracy = Accuracy(teacher, data.Test);
        log?.Invoke($"seed {seed}: teacher {teacherAccuracy:F4}");

        var studentRng = rng.Split("student");
        var alone = new Mlp([inputs, .. options.Student, classes], studentRng.Split("init"));
        var distilled = new Mlp([inputs, .. options.Student, classes], studentRng.Split("init"));
        Train("the student alone", alone, data, options.StudentSteps, options, studentRng.Split("data"), null, (done, total) => progress?.Invoke($"seed {seed}: student alone", done, total), (step, value) => loss?.Invoke("student_alone", step, value));
        Train("the distilled student", distilled, data, options.StudentSteps, options, studentRng.Split("data"), teacher, (done, total) => progress?.Invoke($"seed {seed}: student distilled", done, total), (step, value) => loss?.Invoke("student_distilled", step, value));
        var run = new DistillationRun(seed, teacherAccuracy, Accuracy(alone, data.Test), Accuracy(distilled, data.Test), teacher.ParameterCount, alone.ParameterCount);
        log?.Invoke($"seed {seed}: student alone {run.StudentAlone:F4}, distilled {run.StudentDistilled:F4}");
        return run;
    }

    /// <summary>An MLP with dropout after every hidden ReLU (parameter names as a Sequential's).</summary>
    private static Sequential DropoutMlp(int inputs, int[] hidden, int classes, float p, Rng rng)
    {
        var layers = new Sequential();
        int width = inputs;
        for (int i = 0; i < hidden.Length; i++)
        {
            layers.Append(new Linear(width, hidden[i], rng.Split($"fc{i + 1}")));
            layers.Append(new ReLU());
            layers.Append(new Dropout(p, rng.Split($"dropout{i + 1}")));
            width = hidden[i];
        }
        return layers.Append(new Linear(width, classes, rng.Split("head")));
    }

    private static void Train(string what, Module model, TrainTestSplit data, int steps, DistillationOptions options, Rng rng, Module? teacher, Action<int, int> progress, Action<int, double> logLoss)
    {
        var loader = new DataLoader(data.Train, options.BatchSize, rng, new DataLoaderOptions(Flatten: true));
        var adam = new Adam(model.Parameters(), lr: options.LearningRate);
        teacher?.Eval();
        for (int s = 0; s < steps; s++)
        {
            var batch = loader.Next();
            var x = batch.ToTensor();
            var logits = model.Forward(x);
            var loss = F.CrossEntropy(logits, batch.Labels);
            if (teacher is not null)
            {
                Tensor soft;
                using (Autograd.NoGrad()) soft = teacher.Forward(x);
                loss = KnowledgeDistillation.Loss(logits, soft, options.Temperature) * options.Alpha + loss * (1 - options.Alpha);
            }
            // A non-finite loss means the step size is too large: every accuracy after it would describe a broken network.
            float value = loss.Item();
            if (!float.IsFinite(value))
                throw new NotFiniteNumberException($"training {what} diverged at step {s + 1} of {steps}: the loss is {value}. Lower the learning rate (--lr).", value);
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
            progress(s + 1, steps);
            logLoss(s + 1, value);
        }
    }

    private static double Accuracy(Module model, Dataset test)
    {
        model.Eval();
        int correct = 0;
        foreach (var batch in new DataLoader(test, 1_000, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: true)).Epoch())
        {
            int[] predicted;
            using (Autograd.NoGrad()) predicted = model.Forward(batch.ToTensor()).ArgMax(1);
            for (int i = 0; i < batch.Count; i++) if (predicted[i] == batch.Labels[i]) correct++;
        }
        model.Train();
        return (double)correct / test.Count;
    }
}
