namespace Lifelong.Training;

/// <summary>Knowledge distillation (Hinton, Vinyals, Dean 2015): match a teacher's temperature-softened output distribution.</summary>
/// <remarks>
/// Usable on its own (compressing a model into a smaller one) and by continual-learning methods (LwF distils the
/// previous model's outputs on new data). The T² factor keeps the gradient's scale independent of T, as in the paper.
/// </remarks>
public static class KnowledgeDistillation
{
    /// <summary>T² · mean over samples of KL(softmax(teacher/T) ‖ softmax(student/T)).</summary>
    /// <param name="student">(N, C) logits that receive the gradient.</param>
    /// <param name="teacher">(N, C) target logits; treated as constants.</param>
    /// <param name="temperature">T &gt; 0; LwF uses 2.</param>
    /// <returns>A scalar; 0 when the distributions agree.</returns>
    public static Tensor Loss(Tensor student, Tensor teacher, float temperature = 2f)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Distillation temperature must be positive.");
        if (student.Shape != teacher.Shape) throw new ArgumentException($"Distillation: student {student.Shape} and teacher {teacher.Shape} differ.", nameof(teacher));
        float inverse = 1f / temperature;
        var teacherLog = F.LogSoftmax(teacher.Detach() * inverse, axis: 1);
        var studentLog = F.LogSoftmax(student * inverse, axis: 1);
        // KL(p‖q) = Σ p (log p − log q); only log q carries gradient.
        var kl = (teacherLog.Exp() * (teacherLog - studentLog)).Sum(1).Mean();
        return kl * (temperature * temperature);
    }
}
