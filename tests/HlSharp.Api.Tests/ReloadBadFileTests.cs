using System.Diagnostics;
using HlSharp.Bytecode;

namespace HlSharp.Api.Tests;

/// <summary>
/// A rebuild caught half written, a damaged file, a missing one (issue 11, item 5): <c>Reload</c>
/// throws what the file is (<see cref="HlFormatException"/>, <see cref="FileNotFoundException"/>),
/// <c>TryReload</c> returns false with a refusal saying so, and the running program is untouched.
/// </summary>
public sealed class ReloadBadFileTests
{
    [Fact]
    public void A_truncated_build_is_a_format_error_and_the_old_program_runs_on()
    {
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");
        var v2 = ReloadFixture.Bytes("ReloadRefuse/v2");
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "half.hl");
        File.WriteAllBytes(file, v2[..(v2.Length * 2 / 3)]);

        Assert.Throws<HlFormatException>(() => vm.Reload(file));
        Assert.Throws<HlFormatException>(() => vm.Reload(v2.AsSpan(0, v2.Length - 1)));
        Assert.False(vm.TryReload(file, out var result));

        var refusal = Assert.Single(result.Refused);
        Assert.Equal("bytecode", refusal.Type);
        Assert.Null(refusal.Member);
        Assert.Contains("offset", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(file), result.Path);
        AssertUntouchedAndReloadable(vm);
    }

    [Fact]
    public void A_byte_flipped_build_is_a_format_error_and_the_old_program_runs_on()
    {
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");
        var v2 = ReloadFixture.Bytes("ReloadRefuse/v2");

        foreach (var offset in new[] { 0, 3 })   // the "HLB" signature, the version
        {
            var damaged = (byte[])v2.Clone();
            damaged[offset] ^= 0xA5;

            Assert.Throws<HlFormatException>(() => vm.Reload(damaged));
            Assert.False(vm.TryReload(damaged, out var result));
            Assert.Equal("bytecode", Assert.Single(result.Refused).Type);
            Assert.Null(result.Path);
        }

        AssertUntouchedAndReloadable(vm);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error_and_the_old_program_runs_on()
    {
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "gone.hl");

        Assert.Throws<FileNotFoundException>(() => vm.Reload(missing));
        Assert.False(vm.TryReload(missing, out var result));

        var refusal = Assert.Single(result.Refused);
        Assert.Equal("file", refusal.Type);
        Assert.Contains("gone.hl", refusal.Reason, StringComparison.Ordinal);
        AssertUntouchedAndReloadable(vm);
    }

    [Fact]
    public void Damaged_bytecode_of_any_kind_reads_as_a_format_error_or_as_a_program_never_as_a_crash()
    {
        // A little fuzzing of the reader a reload starts with: cut at many lengths, flip bytes at
        // many offsets. Whatever the bytes, HlCode.Read either reads a program or throws
        // HlFormatException; anything else (an index out of range, an overflow, a huge allocation)
        // would reach the host from Reload. Bounded in time, seeded so a failure repeats.
        var bytes = ReloadFixture.Bytes("ReloadRefuse/v2");
        var random = new Random(11);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        void Check(byte[] input, string what)
        {
            try
            {
                HlCode.Read(input);
            }
            catch (HlFormatException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }

        for (var cut = 0; cut < bytes.Length && clock.Elapsed < TimeSpan.FromSeconds(3); cut += 1 + random.Next(bytes.Length / 300))
        {
            Check(bytes[..cut], $"cut at {cut}");
        }

        for (var i = 0; i < 2000 && clock.Elapsed < TimeSpan.FromSeconds(6); i++)
        {
            var damaged = (byte[])bytes.Clone();
            var offset = random.Next(damaged.Length);
            var value = (byte)random.Next(256);
            damaged[offset] = value;
            Check(damaged, $"byte {offset} set to 0x{value:x2}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} inputs crashed the reader:\n" + string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void A_constant_whose_field_indexes_past_its_table_is_a_format_error_at_reload_and_at_load()
    {
        // Version 4 ends with the constants (string literals: an object whose fields index the
        // string and int tables). The last field of the last one, rewritten to a huge index, once
        // went unchecked by the reader and crashed the reload's planner (and a load) with an index
        // out of range.
        var bytes = ReloadFixture.Bytes("ReloadRefuse/v2");
        var code = HlCode.Read(bytes);
        var last = code.Constants[^1];
        var holder = Assert.IsType<HlObjectType>(code.Globals[last.GlobalIndex]);
        Assert.Equal(HlTypeKind.I32, holder.Fields[last.Fields.Length - 1].Type.Kind);
        Assert.InRange(last.Fields[^1], 0, 0x7F);   // one byte, the file's last
        byte[] damaged = [.. bytes[..^1], 0xC0, 0xFF, 0xFF, 0xFF];   // 0xFFFFFF in four bytes
        using var vm = ReloadFixture.Start("ReloadRefuse/v1");

        Assert.Throws<HlFormatException>(() => HlCode.Read(damaged));
        Assert.Throws<HlFormatException>(() => vm.Reload(damaged));
        Assert.False(vm.TryReload(damaged, out var result));
        Assert.Contains("constant", Assert.Single(result.Refused).Reason, StringComparison.Ordinal);
        Assert.Throws<HlFormatException>(() => HlVm.Load(damaged, ReloadFixture.Options()));
        AssertUntouchedAndReloadable(vm);
    }

    [Fact]
    public void Damaged_bytecode_that_still_reads_is_applied_or_refused_by_TryReload_never_thrown_at_the_host()
    {
        // What the reader accepts goes on to the planner and the compiler: a changed constant is a
        // valid program, a damaged name an added class, a damaged operand a compile error. Each must
        // come back as a result.
        var v1 = ReloadFixture.Bytes("ReloadRefuse/v1");
        var bytes = ReloadFixture.Bytes("ReloadRefuse/v2");
        var vm = ReloadFixture.Start("ReloadRefuse/v1");
        var random = new Random(5);
        var failures = new List<string>();
        var (tried, applied) = (0, 0);
        var clock = Stopwatch.StartNew();
        try
        {
            // Bounded by count, with time only as a backstop: on a loaded machine each reload is
            // slower, and a test that counted what fits in a few seconds failed there.
            while (tried < 60 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var damaged = (byte[])bytes.Clone();
                var offset = random.Next(damaged.Length);
                damaged[offset] = (byte)random.Next(256);
                try
                {
                    HlCode.Read(damaged);
                }
                catch (HlFormatException)
                {
                    continue;
                }

                tried++;
                try
                {
                    if (vm.TryReload(damaged, out _))
                    {
                        applied++;
                        if (!vm.TryReload(v1, out _))
                        {
                            // Back to v1 is refused when the damage was a valid addition (a method's name): start again.
                            vm.Dispose();
                            vm = ReloadFixture.Start("ReloadRefuse/v1");
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"byte {offset} changed: {e.GetType().Name}: {e.Message}");
                }
            }

            Assert.Equal(1, vm.CallStatic<int>("Main", "version"));
        }
        finally
        {
            vm.Dispose();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} reloads threw:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(tried > 20, $"only {tried} damaged inputs were readable in the time");
        Assert.True(applied > 0, "no damaged input was a valid program: the loop tested nothing but refusals");
    }

    private static void AssertUntouchedAndReloadable(HlVm vm)
    {
        Assert.Equal(1, vm.CallStatic<int>("Main", "version"));
        Assert.Equal(41, vm.CallStatic<int>("Main", "bump"));
        var result = vm.Reload(ReloadFixture.Path("ReloadRefuse/v2"));
        Assert.Equal(["Main.version"], result.FunctionsChanged);
        Assert.Equal(2, vm.CallStatic<int>("Main", "version"));
        Assert.Equal(42, vm.CallStatic<int>("Main", "bump"));
    }
}
