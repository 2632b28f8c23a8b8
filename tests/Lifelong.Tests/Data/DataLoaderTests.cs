using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Tests.Data;

public class DataLoaderTests
{
    private static readonly Dataset Small = TestData.Images(classes: 3, perClass: 7, new ImageShape(1, 4, 4), seed: 5); // 21 images

    [Fact]
    public void One_epoch_visits_every_sample_exactly_once()
    {
        var loader = new DataLoader(Small, 5, new Rng(1));
        var seen = loader.Epoch().SelectMany(b => b.Indices).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 21), seen);
        Assert.Equal(5, loader.BatchesPerEpoch);
    }

    [Fact]
    public void Drop_last_skips_the_short_final_batch()
    {
        var loader = new DataLoader(Small, 5, new Rng(1), new DataLoaderOptions(DropLast: true));
        var batches = loader.Epoch().ToList();
        Assert.Equal(4, batches.Count);
        Assert.All(batches, b => Assert.Equal(5, b.Count));
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_another_order()
    {
        int[] Order(ulong seed) => [.. new DataLoader(Small, 4, new Rng(seed)).Steps(12).SelectMany(b => b.Indices)];
        Assert.Equal(Order(3), Order(3));
        Assert.NotEqual(Order(3), Order(4));
    }

    [Fact]
    public void Without_shuffling_batches_follow_dataset_order()
    {
        var loader = new DataLoader(Small, 8, new Rng(1), new DataLoaderOptions(Shuffle: false));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], loader.Next().Indices);
        Assert.Equal([16, 17, 18, 19, 20], loader.Steps(2).Last().Indices);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], loader.Next().Indices); // the next epoch starts over
    }

    [Fact]
    public void Steps_cross_epoch_boundaries_and_reshuffle()
    {
        var loader = new DataLoader(Small, 7, new Rng(2));
        var batches = loader.Steps(6).ToList();
        var first = batches.Take(3).SelectMany(b => b.Indices).ToArray();
        var second = batches.Skip(3).SelectMany(b => b.Indices).ToArray();
        Assert.Equal(Enumerable.Range(0, 21), first.Order());
        Assert.Equal(Enumerable.Range(0, 21), second.Order());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Symmetric_normalisation_maps_0_and_255_to_minus_1_and_1()
    {
        var data = Dataset.FromBytes("edges", new ImageShape(1, 1, 2), [0, 255], [0], 1);
        var batch = new DataLoader(data, 1, new Rng(0), new DataLoaderOptions(Normalization: Normalization.Symmetric)).Next();
        Assert.Equal([-1f, 1f], batch.Inputs);
    }

    [Fact]
    public void Default_inputs_are_in_0_to_1_with_shape_N_C_H_W_and_labels_as_ints()
    {
        var batch = new DataLoader(Small, 6, new Rng(0)).Next();
        Assert.Equal([6, 1, 4, 4], batch.Shape);
        Assert.All(batch.Inputs, v => Assert.InRange(v, 0f, 1f));
        for (int i = 0; i < batch.Count; i++)
        {
            Assert.Equal(Small.Labels[batch.Indices[i]], batch.Labels[i]);
            Assert.Equal(Small.ImageBytes(batch.Indices[i])[5] / 255f, batch.Inputs[i * 16 + 5]);
        }
    }

    [Fact]
    public void A_batch_becomes_a_tensor_of_its_shape_over_the_same_values()
    {
        var batch = new DataLoader(Small, 6, new Rng(0)).Next();
        var tensor = batch.ToTensor();
        Assert.Equal(new Shape(6, 1, 4, 4), tensor.Shape);
        Assert.Equal(batch.Inputs, tensor.ToArray());
    }

    [Fact]
    public void Flattened_batches_have_shape_N_by_features()
    {
        var batch = new DataLoader(Small, 6, new Rng(0), new DataLoaderOptions(Flatten: true)).Next();
        Assert.Equal([6, 16], batch.Shape);
    }

    [Fact]
    public void Per_channel_normalisation_uses_each_channels_mean_and_std()
    {
        var data = Dataset.FromFloats("rgb", new ImageShape(3, 1, 1), [0.5f, 0.5f, 0.5f], [0], 1);
        var options = new DataLoaderOptions(Normalization: new Normalization([0.5f, 0f, 1f], [1f, 0.25f, 0.5f]));
        Assert.Equal([0f, 2f, -1f], new DataLoader(data, 1, new Rng(0), options).Next().Inputs);
    }

    [Fact]
    public void A_certain_horizontal_flip_mirrors_every_row()
    {
        float[] image = [1, 2, 3, 4, 5, 6];
        new HorizontalFlip(1f).Apply(image, new ImageShape(1, 2, 3), new Rng(0));
        Assert.Equal([3f, 2f, 1f, 6f, 5f, 4f], image);
    }

    [Fact]
    public void Random_crop_shifts_the_image_and_fills_with_zeros()
    {
        var shape = new ImageShape(1, 5, 5);
        var rng = new Rng(11);
        bool shifted = false;
        for (int trial = 0; trial < 20; trial++)
        {
            var image = Enumerable.Range(1, 25).Select(v => (float)v).ToArray();
            new RandomCrop(2).Apply(image, shape, rng);
            // Every pixel is either padding (0) or some original value; the kept values stay in row-major order.
            var kept = image.Where(v => v != 0).ToArray();
            Assert.All(kept, v => Assert.InRange(v, 1f, 25f));
            Assert.Equal(kept.Order(), kept);
            shifted |= kept.Length < 25;
        }
        Assert.True(shifted);
    }

    [Fact]
    public void Random_crop_with_no_padding_changes_nothing()
    {
        float[] image = [1, 2, 3, 4];
        new RandomCrop(0).Apply(image, new ImageShape(1, 2, 2), new Rng(0));
        Assert.Equal([1f, 2f, 3f, 4f], image);
    }

    [Fact]
    public void Augmented_batches_repeat_with_the_same_seed()
    {
        var options = new DataLoaderOptions(Transforms: [new RandomCrop(1), new HorizontalFlip()]);
        float[] Inputs() => new DataLoader(Small, 21, new Rng(9), options).Next().Inputs;
        Assert.Equal(Inputs(), Inputs());
    }

    [Fact]
    public void Rotating_by_90_degrees_moves_the_top_row_to_the_left_column()
    {
        var shape = new ImageShape(1, 3, 3);
        float[] image = [1, 2, 3, 0, 0, 0, 0, 0, 0];
        var rotated = new float[9];
        ImageRotation.Rotate(image, rotated, shape, 90);
        Assert.Equal([3f, 0f, 0f, 2f, 0f, 0f, 1f, 0f, 0f], rotated); // counter-clockwise: top-right ends top-left
    }

    [Fact]
    public void Rotating_by_zero_degrees_is_the_identity()
    {
        float[] image = [.. Enumerable.Range(0, 16).Select(v => v / 16f)];
        var rotated = new float[16];
        ImageRotation.Rotate(image, rotated, new ImageShape(1, 4, 4), 0);
        Assert.Equal(image, rotated);
    }
}
