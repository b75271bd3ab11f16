using HlSharp.Timers;
using HlSharp.Threading;

namespace HlSharp;

/// <summary>The VM's timers (<see cref="Timers"/>), and how their callbacks run and fail.</summary>
public sealed partial class HlVm
{
    private readonly TimerScheduler _timerScheduler;

    /// <summary>
    /// The VM's timers, in milliseconds or frames, fired on timer threads one at a time
    /// (<see cref="HlTimerMode.Serialized"/>, the default), in parallel (<see cref="HlTimerMode.Threaded"/>),
    /// or on the host's thread inside <see cref="Update"/> (<see cref="HlTimerMode.Pumped"/>).
    /// Haxe code reaches the same timers through the <c>hlsharp</c> library's <c>hlsharp.Timers</c>.
    /// Disposing the VM stops them: no callback starts after <see cref="Dispose"/> returns.
    /// </summary>
    public HlTimers Timers { get; }

    private TimerScheduler CreateTimerScheduler(HlVmOptions options) =>
        new(options.Clock, _threads, new TimerCallbacks(this), ThreadStackSize);

    /// <summary>
    /// Runs timer callbacks for the scheduler: Haxe closures through the one host-call path
    /// (<see cref="RunHaxe"/>), C# delegates directly; what either throws is reported through
    /// <see cref="UnhandledException"/> (or one line on the program's standard error when nobody
    /// listens) and stops the timer.
    /// </summary>
    private sealed class TimerCallbacks(HlVm vm) : ITimerHost
    {
        public TimerOutcome Run(TimerEntry entry)
        {
            var callback = entry.Callback;
            try
            {
                if (!callback.RunsHaxeCode)
                {
                    return callback.Invoke() ? TimerOutcome.Continue : TimerOutcome.StopRepeating;
                }

                // RunHaxe gives the default (false) when the program exits in the callback: the timer stops.
                var exitBefore = vm.ExitCode;
                var keepGoing = vm.RunHaxe(callback.Invoke);
                return keepGoing ? TimerOutcome.Continue : exitBefore is null && vm.ExitCode is not null ? TimerOutcome.Failed : TimerOutcome.StopRepeating;
            }
            catch (ObjectDisposedException) when (vm._disposed)
            {
                // The VM is being disposed under the callback: it ends quietly, as the VM's threads do.
                return TimerOutcome.Failed;
            }
#pragma warning disable CA1031 // A callback's exception is reported, never allowed to end the timer thread or the host's pump.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var thread = vm.CurrentThreadView();
                vm.ReportUnhandled(new HlUnhandledExceptionEventArgs(e, thread, HlUnhandledExceptionSource.TimerCallback), reportIfUnheard: true);
                return TimerOutcome.Failed;
            }
        }
    }
}
