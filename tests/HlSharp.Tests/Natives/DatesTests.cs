using System.Globalization;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Natives;

public sealed class DatesTests
{
    // Date's UTC getters need HashLink 1.11's date_get_utc_inf.
    private static readonly string[] CompileArgs = ["-D", "hl-ver=1.11.0"];

    [Fact]
    public void Dates_follow_the_local_time_zone_of_the_host()
    {
        var result = FixtureRun.Run("Dates", compileArgs: CompileArgs);

        Assert.Empty(result.Failures);
        Assert.Equal(ExpectedZoneLines(TimeZoneInfo.Local), ZoneLines(result.Stdout));
    }

    [Fact]
    public void Dates_follow_the_TZ_variable_under_hlsharp_run()
    {
        var result = HlSharpCli.RunWithEnvironment(
            new Dictionary<string, string> { ["TZ"] = "Europe/Paris" },
            "run",
            HaxeFixtures.Compile("Dates", CompileArgs));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("FAIL", result.Stdout, StringComparison.Ordinal);

        // Paris is UTC+1 in winter and UTC+2 in summer; Haxe's offset is UTC minus local, in minutes.
        Assert.Equal(
            """
            fromString error: Invalid date format
            epoch local 1970-01-01 01:00:00
            winter local 2023-11-14 23:13:20 fields 2023,10,14,23,13,20,2 offset -60
            summer local 2024-07-03 11:46:40 fields 2024,6,3,11,46,40,3 offset -120
            new 2024-01-15 12:00:00 is 1705316400000
            new 2024-07-15 12:00:00 is 1721037600000
            fromString 2024-07-15 is 1720994400000
            """,
            ZoneLines(result.Stdout));
    }

    [Fact]
    public void Dates_are_unsigned_32_bit_seconds_as_in_HashLink()
    {
        // HashLink reads the stored Int as unsigned: -1 is 2106, not 1969.
        Assert.Equal(4294967295000.0, HlSharp.Natives.StdDate.DateGetTime(-1));
        Assert.Equal(-1, HlSharp.Natives.StdDate.DateFromTime(4294967295000.0));
        Assert.Equal(-1, HlSharp.Natives.StdDate.DateFromTime(-1000.0));
        Assert.Equal(0, HlSharp.Natives.StdDate.DateFromTime(double.NaN));

        // mktime's 64-bit seconds are cut to 32 bits, whatever the year.
        var offset = (long)TimeZoneInfo.Local.BaseUtcOffset.TotalSeconds;
        Assert.Equal((int)(253402300800L - offset), HlSharp.Natives.StdDate.DateNew(10000, 0, 1, 0, 0, 0));
        Assert.Equal((int)(-62135596800L - offset), HlSharp.Natives.StdDate.DateNew(1, 0, 1, 0, 0, 0));
    }

    private static string ZoneLines(string stdout) =>
        string.Join('\n', stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("ok ", StringComparison.Ordinal)));

    /// <summary>The zone-dependent lines of the fixture, computed with .NET's time zone rules.</summary>
    private static string ExpectedZoneLines(TimeZoneInfo zone)
    {
        DateTime Local(long seconds) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), zone).DateTime;
        string Text(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        string Fields(DateTime t) => $"{t.Year},{t.Month - 1},{t.Day},{t.Hour},{t.Minute},{t.Second},{(int)t.DayOfWeek}";
        int Offset(long seconds) => -(int)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalMinutes;
        long Millis(DateTime wall) => new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUnixTimeMilliseconds();

        return string.Join(
            '\n',
            "fromString error: Invalid date format",
            $"epoch local {Text(Local(0))}",
            $"winter local {Text(Local(1700000000))} fields {Fields(Local(1700000000))} offset {Offset(1700000000)}",
            $"summer local {Text(Local(1720000000))} fields {Fields(Local(1720000000))} offset {Offset(1720000000)}",
            $"new 2024-01-15 12:00:00 is {Millis(new DateTime(2024, 1, 15, 12, 0, 0))}",
            $"new 2024-07-15 12:00:00 is {Millis(new DateTime(2024, 7, 15, 12, 0, 0))}",
            $"fromString 2024-07-15 is {Millis(new DateTime(2024, 7, 15))}");
    }
}
