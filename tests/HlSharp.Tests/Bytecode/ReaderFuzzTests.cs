using System.Collections.Concurrent;
using HlSharp.Bytecode;
using HlSharp.Tests.Infrastructure;

namespace HlSharp.Tests.Bytecode;

/// <summary>
/// Damages compiled fixtures in deterministic ways and checks that the reader either reads them or
/// throws <see cref="HlFormatException"/>: nothing else (no IndexOutOfRange, NullReference,
/// InvalidCast, OutOfMemory...) may escape. Every case is reproducible from the fixture, the
/// mode, the seed and the iteration that a failure reports.
/// </summary>
public sealed class ReaderFuzzTests
{
    // Hello is the smallest version 4 file; Bytes is the version 5 one (it has a bytes section);
    // Classes brings structs, Enums many switches, Closures captured environments.
    private static readonly string[] Fixtures = ["Hello", "Bytes", "Classes", "Enums", "Closures"];

    private const int Seed = 0x48_4C_42; // "HLB"

    [Fact]
    public void Truncation_around_every_section_boundary_and_at_a_stride_beyond()
    {
        var lengths = new ConcurrentDictionary<byte[], List<int>>();
        Run("truncate", iterations: data => lengths.GetOrAdd(data, TruncationLengths).Count, (data, iteration, _) =>
            data.AsSpan(0, lengths[data][iteration]).ToArray());
    }

    [Fact]
    public void Random_byte_flips()
    {
        Run("flip", iterations: _ => 700, (data, _, random) =>
        {
            var copy = (byte[])data.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
            }

            return copy;
        });
    }

    [Fact]
    public void Huge_and_negative_indices_written_at_random_positions()
    {
        byte[][] encodings =
        [
            BytecodeBuilder.Index(0x1FFFFFFF), BytecodeBuilder.Index(-0x1FFFFFFF), BytecodeBuilder.Index(8191),
            BytecodeBuilder.Index(-1), BytecodeBuilder.Index(0x7FFFFF), [0xFF], [0x7F],
        ];
        Run("varint", iterations: _ => 700, (data, _, random) =>
        {
            var copy = (byte[])data.Clone();
            var encoding = encodings[random.Next(encodings.Length)];
            var at = random.Next(4, copy.Length - encoding.Length);
            encoding.CopyTo(copy, at);
            return copy;
        });
    }

    /// <summary>
    /// Every length up to 2 KiB (the header and the constant tables), every length within 32
    /// bytes of each boundary between the sections that precede the types (strings, bytes,
    /// debug files), every length of the last 256 bytes (the end of the functions and the
    /// constants), and a prime stride through the types and functions in between.
    /// </summary>
    private static List<int> TruncationLengths(byte[] data)
    {
        const int Dense = 2048;
        const int Near = 32;
        const int Stride = 97;
        var lengths = new SortedSet<int>();
        void Range(int from, int to)
        {
            for (var i = Math.Max(0, from); i < Math.Min(to, data.Length); i++)
            {
                lengths.Add(i);
            }
        }

        Range(0, Dense);
        foreach (var boundary in SectionBoundaries(data))
        {
            Range(boundary - Near, boundary + Near);
        }

        Range(data.Length - 256, data.Length);
        for (var i = Dense; i < data.Length; i += Stride)
        {
            lengths.Add(i);
        }

        return [.. lengths];
    }

    /// <summary>Walks the layout of the sections before the types (HashLink's code.c order) and returns where each ends.</summary>
    private static List<int> SectionBoundaries(byte[] data)
    {
        var r = new ByteReader(data);
        var boundaries = new List<int>();
        r.Take(3, "header");
        var version = r.ReadByte("version");
        var flags = r.ReadIndex("flags");
        var nints = r.ReadIndex("ints");
        var nfloats = r.ReadIndex("floats");
        var nstrings = r.ReadIndex("strings");
        var nbytes = version >= 5 ? r.ReadIndex("bytes") : 0;
        for (var i = 0; i < (version >= 4 ? 6 : 5); i++)
        {
            r.ReadIndex("count or entry point");
        }

        boundaries.Add(r.Position);
        r.Take(4 * nints, "ints");
        boundaries.Add(r.Position);
        r.Take(8 * nfloats, "floats");
        boundaries.Add(r.Position);
        SkipStrings(ref r, nstrings, boundaries);
        if (version >= 5)
        {
            r.Take(r.ReadInt32("bytes size"), "bytes");
            for (var i = 0; i < nbytes; i++)
            {
                r.ReadIndex("bytes position");
            }

            boundaries.Add(r.Position);
        }

        if ((flags & 1) != 0)
        {
            SkipStrings(ref r, r.ReadIndex("debug files"), boundaries);
        }

        return boundaries;
    }

    private static void SkipStrings(ref ByteReader r, int count, List<int> boundaries)
    {
        r.Take(r.ReadInt32("string block size"), "string block");
        boundaries.Add(r.Position);
        for (var i = 0; i < count; i++)
        {
            r.ReadIndex("string length");
        }

        boundaries.Add(r.Position);
    }

    private static void Run(string mode, Func<byte[], int> iterations, Func<byte[], int, Random, byte[]> damage)
    {
        var failures = new ConcurrentQueue<string>();
        var cases = Fixtures.SelectMany((fixture, f) =>
        {
            var data = File.ReadAllBytes(HaxeFixtures.Compile(fixture));
            return Enumerable.Range(0, iterations(data)).Select(i => (fixture, data, seed: Seed + f, iteration: i));
        }).ToList();

        Parallel.ForEach(cases, c =>
        {
            // One generator per iteration, so any single case replays on its own.
            var random = new Random((c.seed * 1_000_003) + c.iteration);
            var input = damage(c.data, c.iteration, random);
            try
            {
                HlCode.Read(input);
            }
            catch (HlFormatException e) when (e.Offset >= 0 && e.Offset <= input.Length)
            {
                // The documented failure, pointing inside the input.
            }
            catch (Exception e)
            {
                failures.Enqueue($"{mode} {c.fixture} seed {c.seed} iteration {c.iteration}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} inputs escaped HlFormatException; first:\n{string.Join("\n\n", failures.Take(3))}");
    }
}
