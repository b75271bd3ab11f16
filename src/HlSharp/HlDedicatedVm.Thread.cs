using System.Runtime.ExceptionServices;
using HlSharp.Threading;

namespace HlSharp;

/// <summary>The VM thread's life: load, <c>main</c>, the event loop, serving calls until stopped, dispose.</summary>
public sealed partial class HlDedicatedVm
{
    /// <summary>
    /// The longest the event loop waits between frames while it has work: events another thread
    /// posts (<c>runInMainThread</c>) wake only the program's own loop, so the thread looks again
    /// this often. (Haxe 4.2.5's own loop, for <c>hl</c> 1.10 libraries, spins instead.)
    /// </summary>
    private static readonly TimeSpan EventSlice = TimeSpan.FromMilliseconds(1);

    private void Run(Func<HlVm> load)
    {
        try
        {
            _vm = load();
            _queue = new PostedCallQueue(_vm.StopRequest);
            // This thread runs the loop frame by frame, serving calls between frames; another
            // standard library's loop, which it cannot drive, the program runs itself inside RunEntry.
            _vm.SetEntryRunsEventLoop(!_vm.CanDriveEventLoop);
        }
#pragma warning disable CA1031 // A load failure belongs to the caller of StartOnDedicatedThread, not to this thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _vm?.Dispose();
            _phase = Phase.Ended;
            _loaded.SetException(e);
            _ended.SetResult();
            return;
        }

        _loaded.SetResult();
        try
        {
            var mainReturned = RunMain(_vm);
            ServeUntilStopped(_vm, _queue, pumpEvents: mainReturned && _vm.CanDriveEventLoop);
        }
#pragma warning disable CA1031 // Nothing may escape a thread: it would end the process. The host sees it from StopAsync.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _threadFailure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            End(_vm, _queue);
        }
    }

    /// <summary>Static initialisation and <c>main</c>; true when <c>main</c> returned by itself (or the program exited).</summary>
    private bool RunMain(HlVm vm)
    {
        if (Volatile.Read(ref _stopRequested))
        {
            return false;
        }

        _phase = Phase.RunningMain;
        // The VM's hooks see this thread as what it is: the VM's own, not a host's main thread.
        vm.EntryThreadKind = HlThreadKind.Dedicated;
        return Step(vm.RunEntry);
    }

    /// <summary>
    /// After <c>main</c>: runs the program's event loop as <c>hl</c> does, one frame at a time
    /// (timers, <c>haxe.MainLoop</c> callbacks, posted events), serving posted calls between
    /// frames and while it waits for the next one, until the loop has nothing left: then the
    /// program has ended (<see cref="Completion"/>). From then on, until stopped, it serves calls
    /// and runs the event-loop work they add (a timer a call starts).
    /// </summary>
    private void ServeUntilStopped(HlVm vm, PostedCallQueue queue, bool pumpEvents)
    {
        vm.Timers.PumpedWorkChanged = queue.Nudge;
        vm.ReloadDue = queue.Nudge;
        while (!Volatile.Read(ref _stopRequested))
        {
            queue.BeginIdle();
            queue.Serve();
            // A rebuild WatchForChanges found (posted by its nudge), applied between frames.
            vm.ApplyDueReload();
            var wait = Timeout.InfiniteTimeSpan;
            if (pumpEvents && vm.HasPendingWork)
            {
                _phase = Completion.IsCompleted ? Phase.Idle : Phase.EventLoop;
                // A callback that throws ends the loop, as it ends the program under hl. Update pumps the timers.
                pumpEvents = Step(vm.Update);
                if (pumpEvents)
                {
                    wait = vm.TimeUntilNextWork is { } next && next < EventSlice ? next : EventSlice;
                }
            }
            else
            {
                _phase = Phase.Idle;
                _completion.TrySetResult();
                // Pumped timers are the host's work, not the program's: they run here, and do not keep the program going.
                vm.Timers.PumpIfPumped();
            }

            if (vm.Timers.TimeUntilNextDue is { } timerDue && (wait == Timeout.InfiniteTimeSpan || timerDue < wait))
            {
                wait = timerDue;
            }

            if (wait != TimeSpan.Zero && !Volatile.Read(ref _stopRequested))
            {
                queue.WaitForPost(wait);
            }
        }
    }

    /// <summary>
    /// Runs Haxe code of the program itself (<c>main</c>, an event-loop frame); false when it did
    /// not return by itself: the stop unwound it, or it threw, which is the program's failure
    /// (<see cref="Completion"/> faults, and <see cref="StopAsync"/> rethrows the first).
    /// </summary>
    private bool Step(Action program)
    {
        try
        {
            program();
            return true;
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _stopRequested))
        {
            return false;
        }
#pragma warning disable CA1031 // The program's failure is its outcome, reported through Completion and StopAsync.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _programFailure ??= ExceptionDispatchInfo.Capture(e);
            _completion.TrySetException(e);
            return false;
        }
    }

    private void End(HlVm vm, PostedCallQueue queue)
    {
        lock (_gate)
        {
            _phase = Phase.Stopping;
        }

        foreach (var call in queue.Close())
        {
            call.TryFail(Stopped());
        }

        try
        {
            queue.Detach();
            // On this thread: the VM's exit hooks for it run here, where its Haxe code ran.
            vm.Dispose();
        }
#pragma warning disable CA1031 // Reported by StopAsync, never lost and never fatal to the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _threadFailure ??= ExceptionDispatchInfo.Capture(e);
        }

        // Stopped before the program ended by itself.
        _completion.TrySetCanceled();
        _phase = Phase.Ended;
        _ended.SetResult();
    }
}
