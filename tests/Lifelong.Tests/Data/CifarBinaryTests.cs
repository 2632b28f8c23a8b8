using Lifelong.Data;

namespace Lifelong.Tests.Data;

public class CifarBinaryTests
{
    /// <summary>Writes records in the exact CIFAR binary layout: label byte(s), then 1,024 R, 1,024 G, 1,024 B bytes.</summary>
    private static void WriteRecords(string path, int count, bool cifar100, int firstLabel = 0)
    {
        using var file = File.Create(path);
        for (int i = 0; i < count; i++)
        {
            int label = (firstLabel + i) % (cifar100 ? 100 : 10);
            if (cifar100) file.WriteByte((byte)(label / 5)); // coarse label
            file.WriteByte((byte)label);
            for (int channel = 0; channel < 3; channel++)
                for (int p = 0; p < 1024; p++) file.WriteByte((byte)(channel * 50 + i));
        }
    }

    [Fact]
    public void Cifar10_records_become_3x32x32_images_with_their_labels()
    {
        using var temp = new TestData.TempFolder();
        WriteRecords(temp.File("a.bin"), 4, cifar100: false, firstLabel: 7);
        WriteRecords(temp.File("b.bin"), 2, cifar100: false);
        var data = CifarBinary.ReadCifar10("tiny", temp.File("a.bin"), temp.File("b.bin"));
        Assert.Equal(6, data.Count);
        Assert.Equal(new ImageShape(3, 32, 32), data.Shape);
        Assert.Equal([7, 8, 9, 0, 0, 1], data.Labels.ToArray());
        Assert.Equal(1, data.ImageBytes(1)[0]);          // red plane of image 1
        Assert.Equal(51, data.ImageBytes(1)[1024]);      // green plane
        Assert.Equal(103, data.ImageBytes(3)[2048]);     // blue plane of image 3
    }

    [Fact]
    public void Cifar100_uses_the_fine_label()
    {
        using var temp = new TestData.TempFolder();
        WriteRecords(temp.File("train.bin"), 3, cifar100: true, firstLabel: 97);
        var data = CifarBinary.ReadCifar100("tiny", temp.File("train.bin"));
        Assert.Equal([97, 98, 99], data.Labels.ToArray());
        Assert.Equal(100, data.ClassCount);
    }

    [Fact]
    public void A_truncated_file_is_reported_with_the_record_size()
    {
        using var temp = new TestData.TempFolder();
        WriteRecords(temp.File("data_batch_1.bin"), 3, cifar100: false);
        File.WriteAllBytes(temp.File("cut.bin"), File.ReadAllBytes(temp.File("data_batch_1.bin"))[..5000]);
        var e = Assert.Throws<DatasetException>(() => CifarBinary.ReadCifar10("cut", temp.File("cut.bin")));
        Assert.Contains("not a whole number of 3073-byte", e.Message);
        Assert.Contains(temp.File("cut.bin"), e.Message);
    }

    [Fact]
    public void A_cifar100_file_read_as_cifar10_is_reported_rather_than_misread()
    {
        using var temp = new TestData.TempFolder();
        WriteRecords(temp.File("train.bin"), 3073, cifar100: true, firstLabel: 50); // 3073 records of 3074 bytes: a whole number of 3073-byte records
        var e = Assert.Throws<DatasetException>(() => CifarBinary.ReadCifar10("wrong", temp.File("train.bin")));
        Assert.Contains("outside 0..9", e.Message);
    }

    [Fact]
    public void An_out_of_range_coarse_label_is_reported()
    {
        using var temp = new TestData.TempFolder();
        var record = new byte[3074];
        record[0] = 20;
        File.WriteAllBytes(temp.File("test.bin"), record);
        var e = Assert.Throws<DatasetException>(() => CifarBinary.ReadCifar100("bad", temp.File("test.bin")));
        Assert.Contains("coarse label 20", e.Message);
    }

    [Fact]
    public void User_supplied_cifar10_is_found_in_the_archive_folder_of_the_store()
    {
        using var temp = new TestData.TempFolder();
        string folder = Path.Combine(temp.Path, "cifar10", "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        foreach (string name in CifarBinary.Cifar10TrainFiles) WriteRecords(Path.Combine(folder, name), 2, cifar100: false);
        WriteRecords(Path.Combine(folder, CifarBinary.Cifar10TestFile), 3, cifar100: false);
        var store = new DatasetStore(temp.Path);
        Assert.True(store.IsPresent("cifar10"));
        var split = store.Load("cifar10");
        Assert.Equal(10, split.Train.Count);
        Assert.Equal(3, split.Test.Count);
    }

    [Fact]
    public void A_missing_cifar_batch_names_the_file()
    {
        using var temp = new TestData.TempFolder();
        string folder = Path.Combine(temp.Path, "cifar10");
        Directory.CreateDirectory(folder);
        WriteRecords(Path.Combine(folder, CifarBinary.Cifar10TestFile), 3, cifar100: false);
        var e = Assert.Throws<DatasetException>(() => new DatasetStore(temp.Path).Load("cifar10"));
        Assert.Contains("data_batch_1.bin: file not found", e.Message);
    }

    [Fact]
    public void Absent_cifar100_says_where_to_put_the_files()
    {
        using var temp = new TestData.TempFolder();
        var e = Assert.Throws<DatasetException>(() => new DatasetStore(temp.Path).Load("cifar100"));
        Assert.Contains("train.bin, test.bin", e.Message);
        Assert.Contains(Path.Combine(temp.Path, "cifar100"), e.Message);
    }
}
