using HlSharp.Tests.Infrastructure;

namespace HlSharp.Api.Tests;

/// <summary>
/// <see cref="HlTimers.ActiveCount"/> is kept as timers change state rather than counted: after
/// any sequence of adds, stops, restarts, fires and callback-made changes it equals the number
/// of timers whose <see cref="HlTimer.IsActive"/> is true. Seeded random sequences on a fake clock, pumped.
/// </summary>
public sealed class TimerActiveCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ActiveCount_is_the_number_of_active_timers_after_any_sequence_of_changes(int seed)
    {
        using var h = new TimerHarness(TimerDrive.Pump);
        var random = new Random(seed);
        var timers = new List<HlTimer>();
        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(7))
            {
                case 0:
                    timers.Add(h.Timers.After(TimeSpan.FromMilliseconds(random.Next(1, 30)), () => { }));
                    break;
                case 1:
                    // Repeating, and now and then asking to stop, stopping or restarting itself while it runs, or another timer.
                    var stopAfter = random.Next(1, 6);
                    var calls = 0;
                    var selfAction = random.Next(3);
                    HlTimer? self = null;
                    self = h.Timers.Every(TimeSpan.FromMilliseconds(random.Next(1, 30)), () =>
                    {
                        if (calls % 3 == 1)
                        {
                            _ = selfAction switch { 0 => self!.Stop(), 1 => Restart(self!), _ => false };
                        }

                        if (calls % 3 == 2)
                        {
                            var other = timers[calls % timers.Count];
                            _ = calls % 2 == 0 ? other.Stop() : Restart(other);
                        }

                        return ++calls < stopAfter;
                    });
                    timers.Add(self);
                    break;
                case 2:
                    timers.Add(h.Timers.EveryFrames(random.Next(1, 4), () => { }));
                    break;
                case 3 when timers.Count > 0:
                    timers[random.Next(timers.Count)].Stop();
                    break;
                case 4 when timers.Count > 0:
                    timers[random.Next(timers.Count)].Restart();
                    break;
                case 5:
                    h.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(1, 20)));
                    h.Vm.Timers.Pump(TimeSpan.Zero);
                    break;
                default:
                    h.Vm.Timers.AdvanceFrame();
                    h.Vm.Timers.Pump(TimeSpan.Zero);
                    break;
            }

            Assert.Equal(timers.Count(t => t.IsActive), h.Vm.Timers.ActiveCount);
        }

        Assert.True(h.Vm.Timers.StopAll());
        Assert.Equal(0, h.Vm.Timers.ActiveCount);
    }

    [Theory]
    [InlineData(HlTimerMode.Serialized)]
    [InlineData(HlTimerMode.Threaded)]
    public void A_one_shot_whose_callback_runs_is_no_longer_active_but_the_timers_are_not_idle_until_it_returns(HlTimerMode mode)
    {
        using var vm = HlVm.LoadFile(HaxeFixtures.Compile("Hello"), new HlVmOptions { StandardOutput = new MemoryStream() });
        vm.Timers.Mode = mode;
        using var entered = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        using var returned = new ManualResetEventSlim();
        Assert.True(vm.Timers.IsIdle);

        var timer = vm.Timers.After(TimeSpan.FromMilliseconds(1), () =>
        {
            entered.Set();
            Assert.True(proceed.Wait(TimerHarness.Patience));
        });
        Assert.False(vm.Timers.IsIdle);
        Assert.True(entered.Wait(TimerHarness.Patience));
        var (activeWhileRunning, idleWhileRunning) = (vm.Timers.ActiveCount, vm.Timers.IsIdle);
        proceed.Set();
        Assert.True(SpinWait.SpinUntil(() => vm.Timers.IsIdle, TimerHarness.Patience));

        Assert.Equal(0, activeWhileRunning);
        Assert.False(idleWhileRunning);
        Assert.False(timer.IsActive);
        Assert.Equal(1, timer.FireCount);
    }

    private static bool Restart(HlTimer timer)
    {
        timer.Restart();
        return true;
    }
}
