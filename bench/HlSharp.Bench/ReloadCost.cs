using System.Diagnostics;
using System.Globalization;

namespace HlSharp.Bench;

/// <summary>
/// What a hot reload of changed bodies costs (issue 11): loads the first file with
/// <see cref="HlVmOptions.HotReload"/>, runs its entry, then reloads the second and the first in
/// turn through <see cref="HlVm.TryReload(string, out HlReloadResult)"/> (as a host does: the
/// file is read and parsed each time), and prints the median and slowest
/// time per reload and the managed heap and loaded assemblies after a full collection every
/// 50 reloads (whether replaced bodies are freed).
/// <code>
///   dotnet run -c Release --project bench/HlSharp.Bench -- reload v1.hl v2.hl [reloads]
/// </code>
/// The two files should differ in function bodies only (tests/fixtures/ReloadBody/v1 and v2).
/// </summary>
public static class ReloadCost
{
    /// <summary>The command-line verb that selects this benchmark.</summary>
    public const string Verb = "reload";

    /// <summary>Runs the benchmark with the arguments after <see cref="Verb"/>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count < 2)
        {
            Console.Error.WriteLine("usage: reload v1.hl v2.hl [reloads]");
            return 2;
        }

        var versions = new[] { args[0], args[1] };
        var reloads = args.Count > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        using var vm = HlVm.LoadFile(args[0], new HlVmOptions { HotReload = true });
        vm.RunEntry();
        vm.CallStatic<int>("Main", "answer");
        Report(0, vm);
        var times = new List<double>();
        for (var i = 1; i <= reloads; i++)
        {
            var watch = Stopwatch.StartNew();
            // Through the public API, as a host does it: the file is read and parsed each time.
            vm.TryReload(versions[i % 2], out var result);
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (!result.Applied || result.IsEmpty)
            {
                Console.Error.WriteLine($"reload {i} did not change anything: {result}");
                return 1;
            }

            vm.CallStatic<int>("Main", "answer");
            if (i % 50 == 0)
            {
                Report(i, vm);
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per reload: median {times[times.Count / 2]:F2} ms, slowest {times[^1]:F2} ms, fastest {times[0]:F2} ms"));
        return 0;
    }

    private static void Report(int reloads, HlVm vm)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().Count(a => a.IsDynamic);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after {reloads,4} reloads: heap {GC.GetTotalMemory(true) / 1024.0:F0} KB, dynamic assemblies {assemblies}, answer {vm.CallStatic<int>("Main", "answer")}"));
    }
}
