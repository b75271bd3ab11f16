using System.Diagnostics;
using HlSharp.Bytecode;
using HlSharp.Engine;

namespace HlSharp;

// The spike of hot reload (issue 11, docs/HOT-RELOAD.md): internal, no public surface yet.
public sealed partial class HlVm
{
    /// <summary>
    /// Applies a new version of the program with every other Haxe thread parked at a safe point
    /// (a thread inside <c>Blocking()</c> or not in Haxe code counts as parked; one entering Haxe
    /// code meanwhile parks at its first function entry). Refused, with nothing changed, when a
    /// thread does not get there within <paramref name="timeout"/>.
    /// </summary>
    internal ReloadOutcome ReloadPaused(HlCode next, TimeSpan timeout)
    {
        var current = Thread.CurrentThread;
        using var pause = new ReloadPause();
        var wakes = _context.Stop.AllThreads.Where(w => w.Thread != current).ToList();
        foreach (var wake in wakes)
        {
            wake.Add(pause);
            wake.Interrupt();
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var spin = new SpinWait();
            while (_threads.Snapshot().FirstOrDefault(t => t.Thread != current && t.IsRunningHaxe && !t.IsBlocking && !pause.IsParked(t.Thread)) is { } running)
            {
                if (clock.Elapsed > timeout)
                {
                    return ReloadOutcome.RefusedFor([ReloadRefusal.Whole($"thread {running.Thread.ManagedThreadId}", $"did not reach a safe point within {timeout.TotalSeconds:0.#} s")]);
                }

                // Parking takes a thread one poll: spin, then yield the core (2 cores, others compiling).
                spin.SpinOnce(sleep1Threshold: 30);
            }

            return _module.Reload(next);
        }
        finally
        {
            pause.Release();
            foreach (var wake in wakes)
            {
                wake.Remove(pause);
            }
        }
    }
}
