using System.Text;
using Lifelong.Data;

namespace Lifelong.Tests.Data;

public class FashionMnistJsonTests
{
    private static string Image(int value) => "[" + string.Join(',', Enumerable.Repeat(value, 784)) + "]";

    /// <summary>Writes 0.json … 9.json, class c holding <paramref name="perClass"/> images of pixel value c·10 + k, with an empty entry in class 0 like the real package.</summary>
    private static void WriteClasses(string folder, int perClass)
    {
        for (int c = 0; c < 10; c++)
        {
            var images = Enumerable.Range(0, perClass).Select(k => Image(c * 10 + k)).ToList();
            if (c == 0) images.Insert(1, "[]");
            File.WriteAllText(Path.Combine(folder, $"{c}.json"), "{\"data\":[" + string.Join(',', images) + "]}");
        }
    }

    [Fact]
    public void Class_files_split_into_the_first_images_for_training_and_the_rest_for_test()
    {
        using var temp = new TestData.TempFolder();
        WriteClasses(temp.Path, perClass: 3);
        var split = FashionMnistJson.Load(temp.Path, trainPerClass: 2, testPerClass: 1);
        Assert.Equal(20, split.Train.Count);
        Assert.Equal(10, split.Test.Count);
        Assert.Equal(3, split.Train.Labels[6]);
        Assert.Equal(30, split.Train.ImageBytes(6)[0]);
        Assert.Equal(31, split.Train.ImageBytes(7)[100]);
        Assert.Equal(32, split.Test.ImageBytes(3)[783]);
        Assert.Equal(2, split.Test.ImageBytes(0)[0]); // class 0's empty entry was skipped
    }

    [Fact]
    public void A_file_that_is_not_a_class_file_is_reported()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllText(temp.File("0.json"), "{\"images\":[]}");
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.ReadClass(temp.File("0.json")));
        Assert.Contains("not a fashion-mnist class file", e.Message);
        Assert.Contains(temp.File("0.json"), e.Message);
    }

    [Fact]
    public void Truncated_json_is_reported_with_a_fix()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllText(temp.File("1.json"), "{\"data\":[" + Image(1) + "," + Image(2)[..500]);
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.ReadClass(temp.File("1.json")));
        Assert.Contains("truncated or malformed JSON", e.Message);
        Assert.Contains("lifelong datasets fetch fashion-mnist", e.Message);
    }

    [Fact]
    public void An_image_with_the_wrong_pixel_count_is_reported()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllText(temp.File("2.json"), "{\"data\":[[1,2,3]]}");
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.ReadClass(temp.File("2.json")));
        Assert.Contains("image 0 has 3 pixels, expected 784", e.Message);
    }

    [Fact]
    public void A_pixel_outside_0_to_255_is_reported()
    {
        using var temp = new TestData.TempFolder();
        var text = new StringBuilder("{\"data\":[[300");
        for (int i = 1; i < 784; i++) text.Append(",0");
        File.WriteAllText(temp.File("3.json"), text.Append("]]}").ToString());
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.ReadClass(temp.File("3.json")));
        Assert.Contains("not an integer in 0..255", e.Message);
    }

    [Fact]
    public void A_class_file_with_too_few_images_is_reported_as_truncated()
    {
        using var temp = new TestData.TempFolder();
        WriteClasses(temp.Path, perClass: 2);
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.Load(temp.Path, trainPerClass: 2, testPerClass: 1));
        Assert.Contains("holds 2 images, expected 3", e.Message);
    }

    [Fact]
    public void A_missing_class_file_is_reported()
    {
        using var temp = new TestData.TempFolder();
        WriteClasses(temp.Path, perClass: 3);
        File.Delete(temp.File("7.json"));
        var e = Assert.Throws<DatasetException>(() => FashionMnistJson.Load(temp.Path, 2, 1));
        Assert.Contains("7.json: file not found", e.Message);
    }
}
