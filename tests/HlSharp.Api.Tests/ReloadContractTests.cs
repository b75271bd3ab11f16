namespace HlSharp.Api.Tests;

/// <summary>
/// The reload calls' contract (issue 11, items 1, 2 and 7): when a reload may be asked for, what
/// each call returns or throws, and that <see cref="HlVm.Reloaded"/> reports every attempt with
/// the very result the call returned.
/// </summary>
public sealed class ReloadContractTests
{
    [Fact]
    public void A_vm_loaded_without_HotReload_refuses_every_reload_call_saying_how_to_turn_it_on()
    {
        using var vm = HlVm.LoadFile(ReloadFixture.Path("ReloadBody/v1"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.RunEntry();
        var v2 = ReloadFixture.Path("ReloadBody/v2");
        var bytes = ReloadFixture.Bytes("ReloadBody/v2");

        Action[] calls =
        [
            () => vm.Reload(), () => vm.Reload(v2), () => vm.Reload(bytes),
            () => vm.TryReload(out _), () => vm.TryReload(v2, out _), () => vm.TryReload(bytes, out _),
        ];

        foreach (var call in calls)
        {
            var error = Assert.Throws<InvalidOperationException>(call);
            Assert.Contains("HotReload", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));
    }

    [Fact]
    public void A_vm_loaded_from_bytes_has_no_file_to_reload_but_takes_a_path_or_bytes()
    {
        using var vm = HlVm.Load(ReloadFixture.Bytes("ReloadBody/v1"), ReloadFixture.Options());
        vm.RunEntry();

        var error = Assert.Throws<InvalidOperationException>(() => vm.Reload());
        Assert.Contains("memory", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => vm.TryReload(out _));
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));

        var result = vm.Reload(ReloadFixture.Bytes("ReloadBody/v2"));

        Assert.True(result.Applied, result.ToString());
        Assert.Null(result.Path);
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));
    }

    [Fact]
    public void Reload_without_a_path_reads_the_loaded_file_again_as_rebuilt_since_and_a_half_written_one_is_refused()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "app.hl");
        File.Copy(ReloadFixture.Path("ReloadBody/v1"), file);
        using var vm = HlVm.LoadFile(file, ReloadFixture.Options());
        vm.RunEntry();
        Assert.True(vm.Reload().IsEmpty);

        // The compiler caught half-way through writing the rebuild: refused, then the whole file applies.
        var v2 = ReloadFixture.Bytes("ReloadBody/v2");
        File.WriteAllBytes(file, v2[..(v2.Length / 2)]);
        Assert.False(vm.TryReload(out var half));
        Assert.Equal("bytecode", Assert.Single(half.Refused).Type);
        Assert.Equal(1, vm.CallStatic<int>("Main", "answer"));

        File.WriteAllBytes(file, v2);
        var result = vm.Reload();

        Assert.True(result.Applied, result.ToString());
        Assert.Equal(Path.GetFullPath(file), result.Path);
        Assert.Equal(["Main.answer", "Main.label"], result.FunctionsChanged.Order());
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));

        Assert.True(vm.TryReload(out var again));
        Assert.True(again.IsEmpty, again.ToString());
    }

    [Fact]
    public void Reloaded_is_raised_once_per_attempt_applied_refused_or_corrupt_with_the_result_the_call_returned()
    {
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");
        var seen = new List<(object? Sender, HlReloadResult Result)>();
        vm.Reloaded += (sender, result) => seen.Add((sender, result));

        var applied = vm.Reload(ReloadFixture.Path("ReloadRefuse/v2"));
        Assert.False(vm.TryReload(ReloadFixture.Path("ReloadRefuse/static-signature"), out var tried));
        var thrown = Assert.Throws<HlReloadException>(() => vm.Reload(ReloadFixture.Path("ReloadRefuse/super-changed")));
        var bytes = ReloadFixture.Bytes("ReloadRefuse/v2");
        Assert.ThrowsAny<HlFormatException>(() => vm.Reload(bytes.AsSpan(0, bytes.Length / 2)));
        Assert.Throws<FileNotFoundException>(() => vm.Reload(Path.Combine(Path.GetTempPath(), $"no-such-build-{Guid.NewGuid():N}.hl")));

        Assert.Equal(5, seen.Count);
        Assert.All(seen, s => Assert.Same(vm, s.Sender));
        Assert.Same(applied, seen[0].Result);
        Assert.Same(tried, seen[1].Result);
        Assert.Same(thrown.Result, seen[2].Result);
        Assert.Equal("bytecode", Assert.Single(seen[3].Result.Refused).Type);
        Assert.Null(seen[3].Result.Path);
        Assert.Equal("file", Assert.Single(seen[4].Result.Refused).Type);
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "no-such-build-"), seen[4].Result.Path, StringComparison.Ordinal);
        Assert.True(applied.Applied);
        Assert.All(seen.Skip(1), s => Assert.False(s.Result.Applied));
    }

    [Fact]
    public void The_result_says_in_one_line_what_changed_how_long_it_took_and_where_it_came_from()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");
        var path = ReloadFixture.Path("ReloadBody/v2");

        var result = vm.Reload(path);

        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.Equal(Path.GetFullPath(path), result.Path);
        Assert.False(result.IsEmpty);
        var changed = string.Join(", ", result.FunctionsChanged);
        Assert.Matches($@"^reloaded in \d+ ms: 2 functions changed \({changed.Replace(".", @"\.", StringComparison.Ordinal)}\)$", result.ToString());
        Assert.DoesNotContain('\n', result.ToString());
    }

    [Fact]
    public void A_refused_result_and_its_exception_list_every_refusal_on_one_line()
    {
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");

        var error = Assert.Throws<HlReloadException>(() => vm.Reload(ReloadFixture.Path("ReloadRefuse/static-signature")));

        var result = error.Result;
        Assert.False(result.Applied);
        Assert.False(result.IsEmpty);
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.StartsWith("reload refused (nothing changed): ", result.ToString(), StringComparison.Ordinal);
        Assert.Equal(result.ToString(), error.Message);
        Assert.All(result.Refused, r => Assert.Contains(r.ToString(), error.Message, StringComparison.Ordinal));
        var scale = Assert.Single(result.Refused, r => r.Member == "scale");
        Assert.Equal($"class Main.scale: {scale.Reason}", scale.ToString());
        Assert.DoesNotContain('\n', result.ToString());
    }

    [Fact]
    public void Two_host_threads_reloading_at_once_are_served_one_after_the_other()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");
        var v2 = ReloadFixture.Bytes("ReloadBody/v2");
        using var start = new Barrier(2);
        var results = new HlReloadResult?[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            results[i] = vm.Reload(v2);
        })).ToList();
        threads.ForEach(t => t.Start());

        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a reload did not finish"));

        // The second planned against what the first applied: it found v2 already running.
        var ordered = results.Select(r => r!).OrderBy(r => r.IsEmpty).ToList();
        Assert.Equal(["Main.answer", "Main.label"], ordered[0].FunctionsChanged.Order());
        Assert.True(ordered[1].IsEmpty, ordered[1].ToString());
        Assert.Equal(2, vm.CallStatic<int>("Main", "answer"));
    }

    [Fact]
    public void Reload_checks_its_arguments()
    {
        using var vm = ReloadFixture.Start("ReloadBody/v1");

        Assert.Throws<ArgumentNullException>(() => vm.Reload((string)null!));
        Assert.Throws<ArgumentException>(() => vm.Reload(string.Empty));
        Assert.Throws<ArgumentException>(() => vm.TryReload(string.Empty, out _));
        Assert.Throws<HlFormatException>(() => vm.Reload(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_disposed_vm_does_not_reload()
    {
        var vm = ReloadFixture.Start("ReloadBody/v1");
        vm.Dispose();

        Assert.Throws<ObjectDisposedException>(() => vm.Reload(ReloadFixture.Path("ReloadBody/v2")));
    }
}

/// <summary>A folder of its own under the temporary directory, deleted with everything in it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hlsharp-reload-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (a test that failed mid-way): the temp folder is the OS's to clean.
        }
    }
}
