namespace HlSharp.Natives;

/// <summary>Random numbers (HashLink's <c>std/random.c</c>) on .NET's <see cref="Random"/>.</summary>
internal static class StdRandom
{
    [HlNative("std", "rnd_init_system")]
    public static Random InitSystem() => new();

    [HlNative("std", "rnd_alloc")]
    public static Random Alloc() => new();

    [HlNative("std", "rnd_int")]
    public static int Int(Random random) => random.Next(int.MinValue, int.MaxValue);

    [HlNative("std", "rnd_float")]
    public static double Float(Random random) => random.NextDouble();
}
