namespace HlSharp.Engine;

/// <summary>
/// The threads running one VM's Haxe code: threads Haxe started (from before they run until
/// they end) and host threads inside <see cref="HlVm.RunEntry"/>. <see cref="HlVm.Dispose"/>
/// waits here, after asking them to stop, until none is left.
/// </summary>
internal sealed class VmThreads
{
    private readonly Dictionary<Thread, int> _running = [];

    /// <summary>A Haxe thread is about to start, or a host thread enters Haxe code (nesting counts).</summary>
    public void Started(Thread thread)
    {
        lock (_running)
        {
            _running[thread] = _running.GetValueOrDefault(thread) + 1;
        }
    }

    /// <summary>The matching end of <see cref="Started"/>.</summary>
    public void Exited(Thread thread)
    {
        lock (_running)
        {
            if (_running.TryGetValue(thread, out var depth) && depth > 1)
            {
                _running[thread] = depth - 1;
            }
            else
            {
                _running.Remove(thread);
            }

            Monitor.PulseAll(_running);
        }
    }

    /// <summary>
    /// Waits until no thread but the caller runs Haxe code, or the timeout passes; returns how
    /// many are still running then.
    /// </summary>
    public int WaitForOthers(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var self = Thread.CurrentThread;
        lock (_running)
        {
            while (true)
            {
                var others = _running.Count - (_running.ContainsKey(self) ? 1 : 0);
                var left = deadline - DateTime.UtcNow;
                if (others == 0 || left <= TimeSpan.Zero)
                {
                    return others;
                }

                Monitor.Wait(_running, left);
            }
        }
    }
}
