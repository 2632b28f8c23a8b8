using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lifelong.Tests.TensorBoard;

/// <summary>Reads an event file with a decoder that is not ours: Python's protobuf runtime (Debian's python3-protobuf) with
/// classes protoc generates from the same .proto files, and a bit-by-bit CRC-32C written here in Python.</summary>
/// <remarks>CI installs python3-protobuf and protobuf-compiler (.ci/run); without them this fails rather than skips.</remarks>
internal static class ProtobufDecoder
{
    private const string Script = """
        import json, struct, sys
        sys.path.insert(0, sys.argv[1])
        import event_pb2

        def crc32c(data):
            crc = 0xFFFFFFFF
            for byte in data:
                crc ^= byte
                for _ in range(8):
                    crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
            return crc ^ 0xFFFFFFFF

        def masked(data):
            crc = crc32c(data)
            return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

        data = open(sys.argv[2], "rb").read()
        offset, events = 0, []
        while offset < len(data):
            (length,) = struct.unpack_from("<Q", data, offset)
            (length_crc,) = struct.unpack_from("<I", data, offset + 8)
            if length_crc != masked(data[offset:offset + 8]):
                sys.exit("bad length checksum at byte %d" % offset)
            payload = data[offset + 12:offset + 12 + length]
            (data_crc,) = struct.unpack_from("<I", data, offset + 12 + length)
            if data_crc != masked(payload):
                sys.exit("bad data checksum at byte %d" % offset)
            offset += 16 + length
            event = event_pb2.Event()
            event.ParseFromString(payload)
            events.append({
                "wall_time": event.wall_time,
                "step": event.step,
                "file_version": event.file_version if event.WhichOneof("what") == "file_version" else None,
                "values": [[v.tag, v.simple_value] for v in event.summary.value],
            })
        print(json.dumps(events))
        """;

    /// <summary>The events of <paramref name="eventFile"/>, decoded by Python, as JSON objects.</summary>
    public static JsonArray Decode(string eventFile, string protoDirectory, string workDirectory)
    {
        string python = FindPython();
        Run("protoc", ["--python_out=" + workDirectory, "-I", protoDirectory, "event.proto", "summary.proto"], "protoc (apt-get install protobuf-compiler)");
        string script = Path.Combine(workDirectory, "decode.py");
        File.WriteAllText(script, Script);
        string output = Run(python, [script, workDirectory, eventFile], python);
        return JsonNode.Parse(output)!.AsArray();
    }

    /// <summary>The repository's <c>src/Lifelong/TensorBoard/Protos</c>, found upward from the test binaries.</summary>
    public static string ProtoDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "Lifelong", "TensorBoard", "Protos");
            if (File.Exists(Path.Combine(candidate, "event.proto"))) return candidate;
        }
        throw new InvalidOperationException("src/Lifelong/TensorBoard/Protos not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The first Python 3 that imports google.protobuf: Debian's /usr/bin/python3 first (where python3-protobuf
    /// installs), then the one on PATH.</summary>
    private static string FindPython()
    {
        foreach (string candidate in (string[])["/usr/bin/python3", "python3"])
        {
            try
            {
                Run(candidate, ["-c", "import google.protobuf"], candidate);
                return candidate;
            }
            catch (InvalidOperationException)
            {
            }
        }
        throw new InvalidOperationException("no python3 with google.protobuf found; install it with: apt-get install -y python3-protobuf protobuf-compiler");
    }

    private static string Run(string program, string[] arguments, string what)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{what} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{what} is not installed ({e.Message}); CI installs it (.ci/run).", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{what} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
            return output;
        }
    }
}
