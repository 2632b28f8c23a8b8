using Lifelong.Distillation;

namespace Lifelong.Tests.Distillation;

public class DistillationExperimentTests
{
    private static readonly Lifelong.Data.TrainTestSplit Data = TestData.Mnistlike(trainPerClass: 30, testPerClass: 10);

    [Fact]
    public void With_alpha_zero_the_distilled_student_is_the_student_alone_so_the_comparison_is_paired()
    {
        var run = DistillationExperiment.Run(Data, new DistillationOptions([32], [8], TeacherSteps: 30, StudentSteps: 30, BatchSize: 16, Alpha: 0f), seed: 2);
        Assert.Equal(run.StudentAlone, run.StudentDistilled);
        Assert.InRange(run.Teacher, 0.0, 1.0);
        Assert.True(run.TeacherParameters > run.StudentParameters);
    }

    [Fact]
    public void A_distilled_student_is_scored_and_bad_options_are_refused()
    {
        var run = DistillationExperiment.Run(Data, new DistillationOptions([32], [8], TeacherSteps: 60, StudentSteps: 60, BatchSize: 16, Temperature: 2f, Alpha: 0.9f), seed: 2);
        Assert.InRange(run.StudentDistilled, 0.0, 1.0);
        Assert.Throws<ArgumentException>(() => DistillationExperiment.Run(Data, new DistillationOptions([8], [4], Temperature: 0f), seed: 0));
        Assert.Throws<ArgumentException>(() => DistillationExperiment.Run(Data, new DistillationOptions([8], [4], Alpha: 1.5f), seed: 0));
        Assert.Throws<ArgumentException>(() => DistillationExperiment.Run(Data, new DistillationOptions([8], [4], TeacherDropout: 1f), seed: 0));
        var dropout = DistillationExperiment.Run(Data, new DistillationOptions([32], [8], TeacherSteps: 30, StudentSteps: 10, BatchSize: 16, TeacherDropout: 0.5f), seed: 2);
        Assert.InRange(dropout.Teacher, 0.0, 1.0);
    }
}
