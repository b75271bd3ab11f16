using System.Diagnostics;
using HlSharp.Timers;
using Microsoft.Extensions.Time.Testing;

namespace HlSharp.Tests.Timers;

/// <summary>
/// The two ways a scheduler waits for a due time with its lock held: on a fake clock, the clock's
/// own timer wakes it when time is moved past the due time; on the system clock, a pulse or a
/// change ends the wait. Only outcomes are asserted, no timing.
/// </summary>
public sealed class DueWaiterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void On_a_fake_clock_the_wait_ends_when_the_clock_is_moved_past_the_due_time()
    {
        var clock = new FakeTimeProvider();
        var gate = new object();
        using var waiter = DueWaiter.For(clock, gate, () => 0);
        Assert.IsType<ProviderTimerWaiter>(waiter);
        var due = clock.GetTimestamp() + TimeSpan.TicksPerSecond;
        using var waiting = new ManualResetEventSlim();
        var sawTime = 0L;
        var thread = new Thread(() =>
        {
            lock (gate)
            {
                waiting.Set();
                while (clock.GetTimestamp() < due)
                {
                    waiter.Wait(due, DueWaiter.Never);
                }

                sawTime = clock.GetTimestamp();
            }
        });
        thread.Start();
        Assert.True(waiting.Wait(Patience));

        clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.True(thread.Join(Patience));
        Assert.Equal(due, sawTime);
    }

    [Fact]
    public void On_a_fake_clock_a_due_time_already_reached_returns_at_once_and_one_past_49_days_arms_without_throwing()
    {
        var clock = new FakeTimeProvider();
        var gate = new object();
        using var waiter = DueWaiter.For(clock, gate, () => 0);

        lock (gate)
        {
            waiter.Wait(clock.GetTimestamp(), DueWaiter.Never);
            // 60 days ahead, with a real-time limit already passed: arms the clock's timer (at most 49.7 days) and returns.
            waiter.Wait(clock.GetTimestamp() + (TimeSpan.TicksPerDay * 60), Stopwatch.GetTimestamp());
        }
    }

    [Fact]
    public void On_a_fake_clock_a_pulse_ends_a_wait_with_no_due_time()
    {
        var clock = new FakeTimeProvider();
        var gate = new object();
        using var waiter = DueWaiter.For(clock, gate, () => 0);
        AssertPulseEndsWait(gate, waiter);
    }

    [Fact]
    public void On_the_system_clock_a_pulse_ends_a_wait_with_no_due_time()
    {
        var gate = new object();
        using var waiter = DueWaiter.For(TimeProvider.System, gate, () => 0);
        Assert.IsType<SystemClockWaiter>(waiter);
        AssertPulseEndsWait(gate, waiter);
    }

    [Fact]
    public void On_the_system_clock_a_due_time_passed_returns_at_once_and_a_change_ends_the_spin_before_a_due_time()
    {
        var gate = new object();
        var changes = 0;
        using var waiter = DueWaiter.For(TimeProvider.System, gate, () => Volatile.Read(ref changes));
        lock (gate)
        {
            waiter.Wait(Stopwatch.GetTimestamp() - 1, DueWaiter.Never);
        }

        // A due time an hour away is waited for by whole milliseconds, and by spinning only in its last fraction of one; a wait
        // that is near enough to spin (real deadline a tenth of a millisecond away) ends once that passes, or at a change.
        var thread = new Thread(() =>
        {
            lock (gate)
            {
                waiter.Wait(Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 3600), Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10_000));
            }
        });
        thread.Start();
        Interlocked.Increment(ref changes);
        Assert.True(thread.Join(Patience));
    }

    [Fact]
    public void Real_deadlines_too_far_to_count_are_none_and_the_time_left_is_at_most_one_timed_wait()
    {
        Assert.Equal(DueWaiter.Never, DueWaiter.RealDeadline(Timeout.InfiniteTimeSpan));
        Assert.Equal(DueWaiter.Never, DueWaiter.RealDeadline(TimeSpan.MaxValue));
        Assert.Equal(Timeout.InfiniteTimeSpan, DueWaiter.RealLeft(DueWaiter.Never));
        Assert.Equal(TimeSpan.Zero, DueWaiter.RealLeft(DueWaiter.RealDeadline(TimeSpan.Zero)));

        // 30 days is a deadline, but more than Monitor.Wait takes at once (int.MaxValue ms): the wait is cut to that.
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), DueWaiter.RealLeft(DueWaiter.RealDeadline(TimeSpan.FromDays(30))));
        Assert.InRange(DueWaiter.RealLeft(DueWaiter.RealDeadline(TimeSpan.FromDays(1))), TimeSpan.FromHours(23), TimeSpan.FromDays(1));
    }

    private static void AssertPulseEndsWait(object gate, DueWaiter waiter)
    {
        using var waiting = new ManualResetEventSlim();
        var woken = false;
        var thread = new Thread(() =>
        {
            lock (gate)
            {
                waiting.Set();
                waiter.Wait(DueWaiter.Never, DueWaiter.Never);
                woken = true;
            }
        });
        thread.Start();
        Assert.True(waiting.Wait(Patience));

        // The waiter holds the lock until it waits, so this pulse comes while it waits.
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }

        Assert.True(thread.Join(Patience));
        Assert.True(woken);
    }
}
