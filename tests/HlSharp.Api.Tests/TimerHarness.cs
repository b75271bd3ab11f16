using System.Collections.Concurrent;
using System.Globalization;
using HlSharp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HlSharp.Api.Tests;

/// <summary>How a timer test makes due callbacks run: one of the three modes, pumped mode two ways.</summary>
public enum TimerDrive
{
    /// <summary>Pumped mode, run by <see cref="HlTimers.Pump"/> (no <see cref="HlVm.RunEntry"/>).</summary>
    Pump,

    /// <summary>Pumped mode, run by <see cref="HlVm.Update"/> after <see cref="HlVm.RunEntry"/>.</summary>
    Update,

    /// <summary>Serialized mode: the timer dispatcher thread runs them one at a time.</summary>
    Serialized,

    /// <summary>Threaded mode: the timer pool threads run them in parallel.</summary>
    Threaded,
}

/// <summary>
/// A VM (the Hello fixture) whose timers run on a fake clock, driven one of the
/// <see cref="TimerDrive"/> ways, and steps that move time (or frames) and then wait until
/// exactly the callbacks that became due have run. Callbacks made by <see cref="Logs"/> record
/// "name@ms" (the fake time of the call, in milliseconds from the start) so tests assert what
/// ran, when, and in which order.
/// <para>
/// On timer threads a step knows the due callbacks have run by a sentinel: a one-shot timer due
/// at the step's end, added before the clock moves. In serialized mode callbacks run in due order
/// (ties by scheduling order), so once the sentinel has run every callback due by then has run
/// too; in threaded mode it has at least been handed to a pool thread, and the step also waits
/// for the number of calls the test expects.
/// </para>
/// </summary>
internal sealed class TimerHarness : IDisposable
{
    /// <summary>Generous limit for waits that only matter when something is broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private readonly SemaphoreSlim _calls = new(0);
    private readonly ConcurrentQueue<string> _log = new();

    /// <summary>Loads <paramref name="fixture"/> (Hello by default), running its entry when driven by Update or when <paramref name="runEntry"/> says so.</summary>
    public TimerHarness(TimerDrive drive, string fixture = "Hello", bool runEntry = false)
    {
        Drive = drive;
        Clock = new FakeTimeProvider(Start);
        Stderr = new MemoryStream();
        Vm = HlVm.LoadFile(HaxeFixtures.Compile(fixture), new HlVmOptions { Clock = Clock, StandardOutput = new MemoryStream(), StandardError = Stderr });
        if (drive == TimerDrive.Update || runEntry)
        {
            Vm.RunEntry();
        }

        Vm.Timers.Mode = drive switch
        {
            TimerDrive.Serialized => HlTimerMode.Serialized,
            TimerDrive.Threaded => HlTimerMode.Threaded,
            _ => HlTimerMode.Pumped,
        };
    }

    public TimerDrive Drive { get; }

    public FakeTimeProvider Clock { get; }

    public HlVm Vm { get; }

    public HlTimers Timers => Vm.Timers;

    public MemoryStream Stderr { get; }

    /// <summary>Whether callbacks run on timer threads (so a step waits for them).</summary>
    public bool OnThreads => Drive is TimerDrive.Serialized or TimerDrive.Threaded;

    /// <summary>The fake time since the start, in milliseconds.</summary>
    public double ElapsedMilliseconds => (Clock.GetUtcNow() - Start).TotalMilliseconds;

    /// <summary>A callback that records "name@ms".</summary>
    public Action Logs(string name) => () => Record(name);

    /// <summary>A repeating callback that records "name@ms" and returns what <paramref name="keepGoing"/> says for that call (1 for the first).</summary>
    public Func<bool> LogsWhile(string name, Func<int, bool> keepGoing)
    {
        var calls = 0;
        return () =>
        {
            Record(name);
            return keepGoing(Interlocked.Increment(ref calls));
        };
    }

    /// <summary>Records one call: "name@ms" at the fake time now.</summary>
    public void Record(string name)
    {
        _log.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{name}@{ElapsedMilliseconds:0.###}"));
        _calls.Release();
    }

    /// <summary>
    /// Moves the clock by <paramref name="by"/> (may be zero: then only what is due already runs),
    /// runs what is due, and returns the calls recorded, in order, after exactly
    /// <paramref name="expected"/> recorded calls.
    /// </summary>
    public string[] Step(TimeSpan by, int expected)
    {
        var sentinel = OnThreads && by > TimeSpan.Zero ? new SemaphoreSlim(0) : null;
        if (sentinel is not null)
        {
            Timers.After(by, () => sentinel.Release());
        }

        Clock.Advance(by);
        if (Drive == TimerDrive.Pump)
        {
            Timers.Pump(TimeSpan.Zero);
        }
        else if (Drive == TimerDrive.Update)
        {
            Vm.Update();
        }

        Run(expected, sentinel);
        return Take(expected);
    }

    /// <summary>As <see cref="Step(TimeSpan, int)"/>, in milliseconds.</summary>
    public string[] Step(double milliseconds, int expected) => Step(TimeSpan.FromMilliseconds(milliseconds), expected);

    /// <summary>Counts one frame (an <see cref="HlVm.Update"/> when driven by Update), runs what is due, and returns the calls recorded.</summary>
    public string[] StepFrame(int expected)
    {
        var sentinel = OnThreads ? new SemaphoreSlim(0) : null;
        if (sentinel is not null)
        {
            Timers.AfterFrames(1, () => sentinel.Release());
        }

        if (Drive == TimerDrive.Update)
        {
            Vm.Update();
        }
        else
        {
            Timers.AdvanceFrame();
            if (Drive == TimerDrive.Pump)
            {
                Timers.Pump(TimeSpan.Zero);
            }
        }

        Run(expected, sentinel);
        return Take(expected);
    }

    /// <summary>Waits for <paramref name="count"/> more recorded calls (from callbacks on timer threads) and returns them.</summary>
    public string[] WaitForCalls(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(_calls.Wait(Patience), $"only {i} of {count} calls came");
        }

        WaitUntilNoCallbackRuns();
        return [.. Drain()];
    }

    public void Dispose()
    {
        Vm.Dispose();
        _calls.Dispose();
    }

    private void Run(int expected, SemaphoreSlim? sentinel)
    {
        if (sentinel is not null)
        {
            Assert.True(sentinel.Wait(Patience), "the step's sentinel timer did not fire");
            sentinel.Dispose();
        }

        for (var i = 0; i < expected; i++)
        {
            Assert.True(_calls.Wait(OnThreads ? Patience : TimeSpan.Zero), $"only {i} of {expected} calls came");
        }

        WaitUntilNoCallbackRuns();
    }

    /// <summary>
    /// On timer threads, waits until the callbacks that recorded their calls have also returned: a
    /// callback records before it restarts or stops its timer, and the next step must not move the
    /// clock before that restart or stop (threaded mode gives no order between a callback's end and
    /// the step's sentinel). <see cref="HlTimers.Dump"/> says "running" for a callback in progress.
    /// </summary>
    private void WaitUntilNoCallbackRuns()
    {
        if (OnThreads)
        {
            Assert.True(
                SpinWait.SpinUntil(() => !Timers.Dump().Contains(": running", StringComparison.Ordinal), Patience),
                $"a timer callback was still running: {Timers.Dump()}");
        }
    }

    private string[] Take(int expected)
    {
        var calls = Drain();
        // Calls beyond the expected ones that came already (more may come on a timer thread later, and fail a later step).
        Assert.True(calls.Count == expected && _calls.CurrentCount == 0, $"expected {expected} calls, got: {string.Join(", ", calls)} (and {_calls.CurrentCount} more)");
        return [.. calls];
    }

    private List<string> Drain()
    {
        var calls = new List<string>();
        while (_log.TryDequeue(out var call))
        {
            calls.Add(call);
        }

        return calls;
    }
}
