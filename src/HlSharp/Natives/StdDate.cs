using System.Globalization;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// <c>Date</c>: HashLink keeps a date as an <c>Int</c> of seconds since 1970 (read as unsigned, so
/// it covers 1970 to 2106), converted to and from the machine's local time as C's
/// <c>mktime</c>/<c>localtime</c> do, including their normalisation of out-of-range fields.
/// </summary>
internal static class StdDate
{
    /// <summary><c>Date.now()</c>: the VM's clock, in whole seconds.</summary>
    [HlNative("std", "date_now")]
    public static int DateNow(NativeContext m) => (int)m.Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// mktime: local fields to seconds; a month of 12 is January next year, day 0 the last of the
    /// previous month, and so on. The 64-bit result is cut to 32 bits, as HashLink's cast does.
    /// </summary>
    [HlNative("std", "date_new")]
    public static int DateNew(int year, int month, int day, int hours, int minutes, int seconds)
    {
        var years = year + (long)Math.Floor(month / 12.0);
        var months = ((month % 12) + 12) % 12;
        var local = (DaysFromCivil(years, months + 1, 1) * 86400L) + ((day - 1L) * 86400) + (hours * 3600L) + (minutes * 60L) + seconds;
        return (int)(local - (long)LocalOffset(local).TotalSeconds);
    }

    /// <summary>The zone's offset for a local wall time given as seconds from 1970.</summary>
    private static TimeSpan LocalOffset(long localSeconds)
    {
        var zone = TimeZoneInfo.Local;
        var ticks = (localSeconds * TimeSpan.TicksPerSecond) + DateTime.UnixEpoch.Ticks;
        if (localSeconds is < -62135596800L + 86400 or > 253402300799L - 86400)
        {
            return zone.BaseUtcOffset; // beyond what .NET dates hold: no daylight saving rules apply
        }

        var wall = new DateTime(ticks, DateTimeKind.Unspecified);

        // A time skipped by a daylight-saving change is read with the offset in force before it,
        // which moves it forward as mktime does.
        return zone.IsInvalidTime(wall) ? zone.GetUtcOffset(wall.AddHours(-3)) : zone.GetUtcOffset(wall);
    }

    /// <summary>Days from 1970-01-01 to a date of the proleptic Gregorian calendar (any year).</summary>
    private static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    [HlNative("std", "date_get_time")]
    public static double DateGetTime(int date) => (uint)date * 1000.0;

    /// <summary>Milliseconds to the seconds HashLink stores, wrapping to 32 bits as its C conversion does.</summary>
    [HlNative("std", "date_from_time")]
    public static int DateFromTime(double time)
    {
        var seconds = time / 1000.0;
        return double.IsNaN(seconds) || seconds >= 9.2233720368547758e18 || seconds < -9.2233720368547758e18 ? 0 : (int)(long)seconds;
    }

    /// <summary><c>YYYY-MM-DD hh:mm:ss</c> (local), <c>YYYY-MM-DD</c> (local midnight) or <c>hh:mm:ss</c> (seconds from 0).</summary>
    [HlNative("std", "date_from_string")]
    public static int DateFromString(NativeContext m, HlBytes bytes, int length)
    {
        var text = bytes.ReadUcs2(length / 2);
        var fields = new int[6];
        switch (System.Text.Encoding.UTF8.GetByteCount(text))
        {
            case 19:
                Scan(text, "4-2-2 2:2:2", fields);
                return DateNew(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
            case 10:
                Scan(text, "4-2-2", fields);
                return DateNew(fields[0], fields[1] - 1, fields[2], 0, 0, 0);
            case 8:
                Scan(text, "2:2:2", fields);
                return (fields[0] * 3600) + (fields[1] * 60) + fields[2];
            default:
                throw m.Runtime.MakeError("Invalid date format");
        }
    }

    [HlNative("std", "date_to_string")]
    public static HlBytes DateToString(int date, HlRef<int> length) =>
        StdStrings.Ucs2(Local(date).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), length);

    [HlNative("std", "date_get_inf")]
    public static void DateGetInf(int date, HlRef<int>? year, HlRef<int>? month, HlRef<int>? day, HlRef<int>? hours, HlRef<int>? minutes, HlRef<int>? seconds, HlRef<int>? weekDay) =>
        Fields(Local(date), year, month, day, hours, minutes, seconds, weekDay);

    [HlNative("std", "date_get_utc_inf")]
    public static void DateGetUtcInf(int date, HlRef<int>? year, HlRef<int>? month, HlRef<int>? day, HlRef<int>? hours, HlRef<int>? minutes, HlRef<int>? seconds, HlRef<int>? weekDay) =>
        Fields(DateTimeOffset.FromUnixTimeSeconds((uint)date).DateTime, year, month, day, hours, minutes, seconds, weekDay);

    private static DateTime Local(int date) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds((uint)date), TimeZoneInfo.Local).DateTime;

    private static void Fields(DateTime t, HlRef<int>? year, HlRef<int>? month, HlRef<int>? day, HlRef<int>? hours, HlRef<int>? minutes, HlRef<int>? seconds, HlRef<int>? weekDay)
    {
        year?.Value = t.Year;
        month?.Value = t.Month - 1;
        day?.Value = t.Day;
        hours?.Value = t.Hour;
        minutes?.Value = t.Minute;
        seconds?.Value = t.Second;
        weekDay?.Value = (int)t.DayOfWeek;
    }

    /// <summary>
    /// sscanf with a pattern of field widths and separators ("4-2-2" is <c>%4d-%2d-%2d</c>): each
    /// field skips spaces, takes a sign and up to that many digits; the first mismatch ends the
    /// scan, leaving later fields at 0.
    /// </summary>
    private static void Scan(string text, string pattern, int[] fields)
    {
        var pos = 0;
        var field = 0;
        foreach (var p in pattern)
        {
            if (p is >= '1' and <= '9')
            {
                while (pos < text.Length && char.IsWhiteSpace(text[pos]))
                {
                    pos++;
                }

                var width = p - '0';
                var negative = false;
                if (pos < text.Length && text[pos] is '-' or '+')
                {
                    negative = text[pos] == '-';
                    pos++;
                    width--;
                }

                var start = pos;
                var value = 0;
                while (pos < text.Length && pos - start < width && char.IsAsciiDigit(text[pos]))
                {
                    value = (value * 10) + (text[pos++] - '0');
                }

                if (pos == start)
                {
                    return;
                }

                fields[field++] = negative ? -value : value;
            }
            else if (p == ' ')
            {
                while (pos < text.Length && char.IsWhiteSpace(text[pos]))
                {
                    pos++;
                }
            }
            else if (pos < text.Length && text[pos] == p)
            {
                pos++;
            }
            else
            {
                return;
            }
        }
    }
}
